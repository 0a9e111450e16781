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

/** The first implementation: a depth-first walk down to every leaf (the reference). */
function leafWalk(metricProbs: readonly ArrayLike<number>[], table: (i: number) => number): Float64Array {
  const sizes = CVSS_HEAD_SIZES;
  const out = new Float64Array(5);
  const n = sizes.length;
  const partial = new Float64Array(n + 1);
  partial[0] = 1;
  const pick = new Int32Array(n);
  let index = 0;
  let depth = 0;
  for (;;) {
    if (depth === n) {
      const cls = table(index);
      out[cls] = (out[cls] as number) + (partial[n] as number);
      index++;
      depth--;
      while (depth >= 0 && (pick[depth] as number) + 1 >= (sizes[depth] as number)) {
        pick[depth] = 0;
        depth--;
      }
      if (depth < 0) break;
      pick[depth] = (pick[depth] as number) + 1;
    }
    partial[depth + 1] =
      (partial[depth] as number) *
      ((metricProbs[depth] as ArrayLike<number>)[pick[depth] as number] as number);
    depth++;
  }
  return out;
}

test('the factorised distribution equals the walk down to every leaf up to rounding', () => {
  // Class of each leaf in enumeration order (AV-major), read through one-hot inputs.
  const classes: number[] = [];
  const total = CVSS_HEAD_SIZES.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    let r = i;
    const pick = new Array<number>(CVSS_HEAD_SIZES.length);
    for (let m = CVSS_HEAD_SIZES.length - 1; m >= 0; m--) {
      pick[m] = r % (CVSS_HEAD_SIZES[m] as number);
      r = Math.floor(r / (CVSS_HEAD_SIZES[m] as number));
    }
    const p = severityFromMetricProbs(
      CVSS_HEAD_SIZES.map((s, m) => Array.from({ length: s }, (_, k) => (k === pick[m] ? 1 : 0))),
    );
    classes.push(p.indexOf(1));
  }
  const rng = createRng(5);
  for (let trial = 0; trial < 50; trial++) {
    const probs = CVSS_HEAD_SIZES.map((n) => {
      const raw = Array.from({ length: n }, () => rng.next() ** 3 + 1e-6);
      const s = raw.reduce((a, b) => a + b, 0);
      return Float64Array.from(raw, (v) => v / s);
    });
    const got = severityFromMetricProbs(probs);
    const want = leafWalk(probs, (i) => classes[i] as number);
    for (let c = 0; c < 5; c++) {
      const d = Math.abs((got[c] as number) - (want[c] as number));
      assert.ok(
        d <= 1e-14 + 1e-12 * (want[c] as number),
        `trial ${trial}, class ${c}: ${got[c]} vs ${want[c]}`,
      );
    }
  }
});
