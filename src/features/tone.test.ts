import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreTone, toneTokens, writeTone } from './tone.js';

const tone = (text: string) => scoreTone(toneTokens(text.toLowerCase()));

function slots(text: string): number[] {
  const out = new Float32Array(5);
  writeTone(text.toLowerCase(), out, 0);
  return Array.from(out);
}

test('exploitation in the wild is urgent and counts as evidence', () => {
  for (const text of [
    'The flaw is actively exploited.',
    'Exploited in the wild since May.',
    'CISA lists it as known exploited.',
    'Apple is aware of a report that this issue may have been exploited.',
    'A zero-day used by ransomware operators.',
  ]) {
    const t = tone(text);
    assert.ok(t.urgency >= 2, `${text}: urgency ${t.urgency}`);
    assert.equal(t.reassurance, 0, text);
  }
  assert.equal(tone('The flaw is actively exploited.').evidenceStated, true);
  const [urgency, reassurance, sentiment, evidence] = slots('The flaw is actively exploited in the wild.');
  assert.ok(urgency! > 0.8 && reassurance === 0 && sentiment! < -0.8 && evidence === 1);
});

test('negation flips polarity: "no known exploitation" reassures and denies evidence', () => {
  const t = tone('There is no known exploitation of this issue.');
  assert.equal(t.urgency, 0);
  assert.ok(t.reassurance >= 3);
  assert.equal(t.evidenceStated, false);
  assert.equal(t.evidenceDenied, true);
  assert.equal(slots('There is no known exploitation of this issue.')[3], -1);

  for (const text of [
    'The vendor is not aware of any active exploitation.',
    'This vulnerability has not been exploited.',
    "We haven't seen it exploited in the wild.",
  ]) {
    const s = tone(text);
    assert.equal(s.evidenceStated, false, text);
    assert.ok(s.reassurance > 0, `${text} reassures`);
  }
});

test('negated remedies are urgent: "no patch is available"', () => {
  const t = tone('No patch is available and no workaround exists.');
  assert.ok(t.urgency >= 2.5, `urgency ${t.urgency}`);
  assert.equal(t.reassurance, 0);
  const fixed = tone('A patch is available; the issue was fixed in 2.1.');
  assert.equal(fixed.urgency, 0);
  assert.ok(fixed.reassurance >= 2.5);
});

test('negation stops at clause boundaries and after four words', () => {
  // "no" belongs to the first clause; the exploitation phrase is in the second.
  assert.equal(tone('No patch yet, but it is actively exploited.').evidenceStated, true);
  assert.equal(
    tone('It does not affect the default install and it is actively exploited.').evidenceStated,
    true,
  );
});

test('longest phrase wins at a position and phrases do not overlap', () => {
  // "exploited in the wild" (3) must not also count "in the wild" (2).
  assert.equal(tone('exploited in the wild').urgency, 3);
  // "easily exploitable" (1.5), not "exploitable" (0.5) on top.
  assert.equal(tone('Easily exploitable vulnerability').urgency, 1.5);
  // Hyphens split words: "zero-day" and "proof-of-concept" match.
  assert.equal(tone('a zero-day with a proof-of-concept').urgency, 4);
});

test('hedging counts modal verbs; neutral text is all zeros', () => {
  assert.equal(tone('It could allow an attacker, and may potentially lead to a crash.').hedges, 3);
  assert.deepEqual(slots('The quick brown fox jumps over the lazy dog.'), [0, 0, 0, 0, 0]);
  assert.deepEqual(slots(''), [0, 0, 0, 0, 0]);
});

test('tone slots stay in range for extreme input', () => {
  const s = slots('actively exploited '.repeat(1000));
  assert.ok(s[0]! <= 1 && s[0]! > 0.99);
  assert.ok(s[2]! >= -1);
  assert.ok(s.every(Number.isFinite));
});
