import assert from 'node:assert/strict';
import { test } from 'node:test';
import { occlude, textUnits, words } from './text-units.js';

test('words keep CVE ids, versions, hosts and paths whole, with offsets into the text', () => {
  const text =
    'Buffer overflow in libfoo 1.2.3 (CVE-2024-12345) lets attackers on evil.example.com read /etc/passwd.';
  const ws = words(text);
  assert.deepEqual(
    ws.map((w) => w.text),
    [
      'Buffer',
      'overflow',
      'in',
      'libfoo',
      '1.2.3',
      'CVE-2024-12345',
      'lets',
      'attackers',
      'on',
      'evil.example.com',
      'read',
      'etc/passwd',
    ],
  );
  for (const w of ws) assert.equal(text.slice(w.start, w.end), w.text);
});

test('words handle non-Latin scripts and astral characters with UTF-16 offsets', () => {
  const text = '🔥 Überlauf im Ядро-модуль';
  const ws = words(text);
  assert.deepEqual(
    ws.map((w) => w.text),
    ['Überlauf', 'im', 'Ядро-модуль'],
  );
  for (const w of ws) assert.equal(text.slice(w.start, w.end), w.text);
  assert.deepEqual(words('  ... !!! '), []);
});

test('long texts are split into at most maxUnits runs of consecutive words', () => {
  const text = Array.from({ length: 103 }, (_, i) => `w${i}`).join(' ');
  const units = textUnits(text, 10);
  assert.ok(units.length <= 10);
  assert.equal(units[0]!.text, 'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10');
  for (const u of units) assert.equal(text.slice(u.start, u.end), u.text);
  // Every word belongs to exactly one unit, in order.
  assert.equal(units.map((u) => u.text).join(' '), text);
  assert.equal(textUnits('a b c', 10).length, 3);
});

test('occlusion deletes units without leaving double spaces and keeps punctuation', () => {
  const text = 'A remote attacker, via crafted input, can crash it.';
  const units = words(text);
  const keepAll = new Uint8Array(units.length).fill(1);
  assert.equal(occlude(text, units, keepAll), text);
  const drop = (...names: string[]) => Uint8Array.from(units, (u) => (names.includes(u.text) ? 0 : 1));
  assert.equal(occlude(text, units, drop('remote')), 'A attacker, via crafted input, can crash it.');
  assert.equal(occlude(text, units, drop('A')), 'remote attacker, via crafted input, can crash it.');
  assert.equal(occlude(text, units, drop('it')), 'A remote attacker, via crafted input, can crash .');
  assert.equal(occlude(text, units, drop('crafted', 'input')), 'A remote attacker, via , can crash it.');
  assert.equal(occlude(text, units, new Uint8Array(units.length)), ', , .');
});
