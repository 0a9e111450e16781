import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CVSS_METRIC_NAMES,
  CVSS_METRICS,
  type CvssBaseMetrics,
  cvssBaseScore,
  SEVERITY_CLASSES,
  severityFromScore,
} from '../ingest/index.js';
import { CVSS_HEAD_SIZES, severityFromMetricProbs } from './cvss-severity.js';
import { createRng } from './rng.js';

function oneHot(values: CvssBaseMetrics): number[][] {
  return CVSS_METRIC_NAMES.map((m) =>
    (CVSS_METRICS[m] as readonly string[]).map((v) => (v === values[m] ? 1 : 0)),
  );
}

test('one-hot metric distributions give the class of the CVSS 3.1 score', () => {
  const cases: CvssBaseMetrics[] = [
    { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' },
    { AV: 'L', AC: 'L', PR: 'L', UI: 'N', S: 'U', C: 'H', I: 'N', A: 'N' },
    { AV: 'P', AC: 'H', PR: 'H', UI: 'R', S: 'U', C: 'L', I: 'N', A: 'N' },
    { AV: 'N', AC: 'L', PR: 'L', UI: 'N', S: 'U', C: 'N', I: 'N', A: 'N' },
    { AV: 'N', AC: 'L', PR: 'H', UI: 'N', S: 'C', C: 'H', I: 'H', A: 'H' },
  ];
  for (const m of cases) {
    const p = severityFromMetricProbs(oneHot(m));
    const expected = SEVERITY_CLASSES.indexOf(severityFromScore(cvssBaseScore(m)));
    assert.equal(p[expected], 1, JSON.stringify(m));
  }
});

test('random metric distributions give a distribution equal to brute-force enumeration', () => {
  const rng = createRng(3);
  const probs = CVSS_HEAD_SIZES.map((n) => {
    const raw = Array.from({ length: n }, () => rng.next() + 0.01);
    const s = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / s);
  });
  const p = severityFromMetricProbs(probs);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const brute = new Array<number>(5).fill(0);
  const rec = (i: number, chosen: string[], weight: number) => {
    if (i === CVSS_METRIC_NAMES.length) {
      const m = Object.fromEntries(CVSS_METRIC_NAMES.map((n, k) => [n, chosen[k]])) as CvssBaseMetrics;
      const c = SEVERITY_CLASSES.indexOf(severityFromScore(cvssBaseScore(m)));
      brute[c] = (brute[c] as number) + weight;
      return;
    }
    const name = CVSS_METRIC_NAMES[i] as (typeof CVSS_METRIC_NAMES)[number];
    (CVSS_METRICS[name] as readonly string[]).forEach((v, k) => {
      rec(i + 1, [...chosen, v], weight * (probs[i]?.[k] as number));
    });
  };
  rec(0, [], 1);
  brute.forEach((b, c) => {
    assert.ok(Math.abs(b - (p[c] as number)) < 1e-9);
  });
});
