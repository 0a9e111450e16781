import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATISTICS_SLOTS, writeStatistics } from './statistics.js';

function stats(text: string): Record<string, number> {
  const out = new Float32Array(10);
  writeStatistics(text, text.toLowerCase(), out, 0);
  return Object.fromEntries(STATISTICS_SLOTS.map((s, i) => [s.name, out[i]!]));
}

const close = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol;

test('counts and ratios of a known sentence', () => {
  const s = stats('Foo 1.2 crashes. CVE-2024-1234 fixed!');
  // 37 chars; words: foo 1 2 crashes cve 2024 1234 fixed = 8; sentences: 2 (the "." inside 1.2 is not an end).
  assert.ok(close(s['stats.length']!, Math.log1p(37) / Math.log1p(10000)));
  assert.ok(close(s['stats.words']!, Math.log1p(8) / Math.log1p(2000)));
  assert.ok(close(s['stats.sentences']!, Math.log1p(2) / Math.log1p(100)));
  assert.ok(close(s['stats.digit_ratio']!, 10 / 37));
  // Letters: Foo crashes CVE fixed = 3+7+3+5 = 18; upper: F C V E = 4.
  assert.ok(close(s['stats.uppercase_ratio']!, 4 / 18));
  // Symbols: . . - - ! = 5.
  assert.ok(close(s['stats.punctuation_ratio']!, 5 / 37));
  assert.ok(close(s['stats.mean_sentence_words']!, 8 / 2 / 50));
  assert.ok(close(s['stats.type_token_ratio']!, 1));
  // Whitespace tokens: Foo, 1.2, crashes., CVE-2024-1234, fixed! -> technical: "1.2" (dotted) and "crashes."? no.
  assert.ok(close(s['stats.technical_token_ratio']!, 1 / 5));
});

test('repetition lowers the type-token ratio; code raises the technical ratio', () => {
  assert.ok(close(stats('the the the the')['stats.type_token_ratio']!, 0.25));
  // foo_bar(), /usr/lib/x.so and getValue of 6 tokens.
  assert.ok(
    close(stats('calls foo_bar() in /usr/lib/x.so via getValue')['stats.technical_token_ratio']!, 0.5),
  );
});

test('empty and non-ASCII text stay finite and in range', () => {
  for (const text of ['', '   ', 'Ünïcödé ÄÖÜ straße', '\u{1F600}'.repeat(50), '.'.repeat(10000)]) {
    const s = stats(text);
    STATISTICS_SLOTS.forEach((slot) => {
      const v = s[slot.name]!;
      assert.ok(
        Number.isFinite(v) && v >= slot.range[0] && v <= slot.range[1],
        `${slot.name}=${v} for ${JSON.stringify(text.slice(0, 10))}`,
      );
    });
  }
  assert.deepEqual(Object.values(stats('')), new Array(10).fill(0));
  assert.ok(close(stats('ÄÖÜ äöü')['stats.uppercase_ratio']!, 0.5), 'non-ASCII letters count by case');
});
