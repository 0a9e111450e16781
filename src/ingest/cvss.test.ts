import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CvssBaseMetrics, cvssBaseScore, cvssRoundup, parseCvssVector } from './cvss.js';
import { severityFromScore, severityFromWord } from './severity-label.js';

// Scores from the FIRST CVSS v3.1 calculator.
const CASES: [string, number][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N', 5.4],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 9.1],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N', 0],
];

test('CVSS 3.1 base scores match the specification calculator', () => {
  for (const [vector, score] of CASES) {
    const m = parseCvssVector(vector) as CvssBaseMetrics;
    assert.ok(m, vector);
    assert.equal(cvssBaseScore(m), score, vector);
  }
});

test('vectors: temporal metrics ignored, malformed ones refused', () => {
  assert.equal(parseCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:O')?.A, 'H');
  assert.equal(parseCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'), undefined);
  assert.equal(parseCvssVector('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), undefined);
  assert.equal(parseCvssVector('CVSS:2.0/AV:N'), undefined);
});

test('roundup avoids float artefacts', () => {
  assert.equal(cvssRoundup(4.000000000000001), 4.0);
  assert.equal(cvssRoundup(4.02), 4.1);
  assert.equal(cvssRoundup(4.0), 4.0);
});

test('severity words and scores map to the five classes', () => {
  assert.equal(severityFromWord('CRITICAL'), 'critical');
  assert.equal(severityFromWord(' Moderate '), 'medium');
  assert.equal(severityFromWord('NONE'), 'informational');
  assert.equal(severityFromWord('urgent'), undefined);
  assert.deepEqual([9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore), [
    'critical',
    'high',
    'high',
    'medium',
    'medium',
    'low',
    'low',
    'informational',
  ]);
});
