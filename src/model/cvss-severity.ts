import {
  CVSS_METRIC_NAMES,
  CVSS_METRICS,
  type CvssBaseMetrics,
  cvssBaseScore,
  SEVERITY_CLASSES,
  severityFromScore,
} from '../ingest/index.js';

/** Sizes of the eight CVSS base-metric heads, in {@link CVSS_METRIC_NAMES} order (4,2,3,2,2,3,3,3). */
export const CVSS_HEAD_SIZES: readonly number[] = Object.freeze(
  CVSS_METRIC_NAMES.map((m) => CVSS_METRICS[m].length),
);

let table: Uint8Array | undefined;

/** Severity class index of every combination of base-metric values, enumerated AV-major (2,592 entries). */
function severityTable(): Uint8Array {
  if (table) return table;
  const sizes = CVSS_HEAD_SIZES;
  // severityFactors reads metric 4 (S) as the scope between exploitability and impact.
  if (sizes.length !== 8) throw new Error(`CVSS head sizes ${sizes.join(',')}: expected 8 metrics`);
  const total = sizes.reduce((a, b) => a * b, 1);
  const t = new Uint8Array(total);
  const pick = new Array<number>(sizes.length).fill(0);
  for (let i = 0; i < total; i++) {
    let r = i;
    for (let m = sizes.length - 1; m >= 0; m--) {
      const s = sizes[m] as number;
      pick[m] = r % s;
      r = Math.floor(r / s);
    }
    const metrics = Object.fromEntries(
      CVSS_METRIC_NAMES.map((name, m) => [name, CVSS_METRICS[name][pick[m] as number]]),
    ) as CvssBaseMetrics;
    t[i] = SEVERITY_CLASSES.indexOf(severityFromScore(cvssBaseScore(metrics)));
  }
  table = t;
  return t;
}

interface Factors {
  /** Exploitability combinations (AV, AC, PR, UI values): 48. */
  nE: number;
  /** Scope values: 2. */
  nS: number;
  /** Impact combinations (C, I, A values): 27. */
  nI: number;
  /** Per scope, the exploitability combinations in the order along which every impact's class index never decreases. */
  order: Uint8Array;
  /** Per scope and impact combination, 6 positions in that order: class k covers [bounds[k], bounds[k + 1]). */
  bounds: Uint8Array;
}

let factors: Factors | undefined;

/**
 * The table of {@link severityTable} factorised (built once). Its index is
 * (exploitability combination, scope, impact combination), because the
 * metrics are enumerated AV, AC, PR, UI, S, C, I, A. For a fixed scope and
 * impact, the base score never decreases as exploitability grows (CVSS 3.1:
 * roundup(min(impact + exploitability, 10)), times 1.08 when the scope
 * changes), so the exploitability combinations can be put in one order per
 * scope along which every impact's class is a run of contiguous ranges.
 * The order sorts them by the sum over impacts of their class index: if one
 * combination scores at least as high as another under every impact, its sum
 * is no larger. The build checks the ranges are contiguous and throws if not.
 */
function severityFactors(): Factors {
  if (factors) return factors;
  const t = severityTable();
  const s = CVSS_HEAD_SIZES as readonly number[];
  const nE = (s[0] as number) * (s[1] as number) * (s[2] as number) * (s[3] as number);
  const nS = s[4] as number;
  const nI = (s[5] as number) * (s[6] as number) * (s[7] as number);
  const cls = (e: number, sc: number, i: number): number => t[(e * nS + sc) * nI + i] as number;
  const order = new Uint8Array(nS * nE);
  const bounds = new Uint8Array(nS * nI * 6);
  for (let sc = 0; sc < nS; sc++) {
    const sums = Array.from({ length: nE }, (_, e) => {
      let sum = 0;
      for (let i = 0; i < nI; i++) sum += cls(e, sc, i);
      return sum;
    });
    const sorted = Array.from({ length: nE }, (_, e) => e).sort(
      (a, b) => (sums[a] as number) - (sums[b] as number) || a - b,
    );
    order.set(sorted, sc * nE);
    for (let i = 0; i < nI; i++) {
      const at = (sc * nI + i) * 6;
      let k = 0;
      for (let j = 0; j < nE; j++) {
        const c = cls(sorted[j] as number, sc, i);
        if (c < k - 1)
          throw new Error(`CVSS severity table: scope ${sc}, impact ${i} is not monotone in exploitability`);
        while (k <= c) bounds[at + k++] = j;
      }
      while (k <= 5) bounds[at + k++] = nE;
    }
  }
  factors = { nE, nS, nI, order, bounds };
  return factors;
}

// Scratch for severityFromMetricProbs (synchronous, so one set is enough).
const scratchE = new Float64Array(CVSS_HEAD_SIZES.slice(0, 4).reduce((a, b) => a * b, 1));
const scratchI = new Float64Array(CVSS_HEAD_SIZES.slice(5).reduce((a, b) => a * b, 1));
const scratchCum = new Float64Array(scratchE.length + 1);

/**
 * The severity distribution implied by independent per-metric distributions:
 * P(class) = sum over all 2,592 metric combinations whose CVSS 3.1 base score
 * falls in that class of the product of the metrics' probabilities.
 * `metricProbs[m]` follows the value order of {@link CVSS_METRICS}.
 *
 * Computed exactly but factorised ({@link severityFactors}): the 48
 * exploitability and 27 impact products, per scope a running sum of the
 * exploitability products in the scope's order, and per (scope, impact) five
 * differences of that sum. About 700 operations instead of one product and
 * one sum per combination; equal to the enumeration up to rounding
 * (`cvss-severity.test.ts` compares it with a walk down to every leaf).
 */
export function severityFromMetricProbs(
  metricProbs: readonly ArrayLike<number>[],
  out = new Float64Array(5),
): Float64Array {
  const { nE, nS, nI, order, bounds } = severityFactors();
  // Indexed reads, not array destructuring (an iterator per call: this runs once per occluded word).
  const P0 = metricProbs[0]!;
  const P1 = metricProbs[1]!;
  const P2 = metricProbs[2]!;
  const P3 = metricProbs[3]!;
  const P4 = metricProbs[4]!;
  const P5 = metricProbs[5]!;
  const P6 = metricProbs[6]!;
  const P7 = metricProbs[7]!;
  const sizes = CVSS_HEAD_SIZES;
  const n0 = sizes[0]!;
  const n1 = sizes[1]!;
  const n2 = sizes[2]!;
  const n3 = sizes[3]!;
  const n5 = sizes[5]!;
  const n6 = sizes[6]!;
  const n7 = sizes[7]!;
  const pe = scratchE;
  let e = 0;
  for (let a0 = 0; a0 < n0; a0++) {
    const q0 = P0[a0] as number;
    for (let a1 = 0; a1 < n1; a1++) {
      const q1 = q0 * (P1[a1] as number);
      for (let a2 = 0; a2 < n2; a2++) {
        const q2 = q1 * (P2[a2] as number);
        for (let a3 = 0; a3 < n3; a3++) pe[e++] = q2 * (P3[a3] as number);
      }
    }
  }
  const pi = scratchI;
  let i = 0;
  for (let a5 = 0; a5 < n5; a5++) {
    const q5 = P5[a5] as number;
    for (let a6 = 0; a6 < n6; a6++) {
      const q6 = q5 * (P6[a6] as number);
      for (let a7 = 0; a7 < n7; a7++) pi[i++] = q6 * (P7[a7] as number);
    }
  }
  // The five sums in locals (doubles, as the Float64Array held them), added in the same order.
  let o0 = 0;
  let o1 = 0;
  let o2 = 0;
  let o3 = 0;
  let o4 = 0;
  const cum = scratchCum;
  for (let sc = 0; sc < nS; sc++) {
    const ps = P4[sc] as number;
    const base = sc * nE;
    for (let j = 0; j < nE; j++) cum[j + 1] = (cum[j] as number) + (pe[order[base + j] as number] as number);
    for (let imp = 0; imp < nI; imp++) {
      const w = ps * (pi[imp] as number);
      const at = (sc * nI + imp) * 6;
      const c0 = cum[bounds[at] as number] as number;
      const c1 = cum[bounds[at + 1] as number] as number;
      const c2 = cum[bounds[at + 2] as number] as number;
      const c3 = cum[bounds[at + 3] as number] as number;
      const c4 = cum[bounds[at + 4] as number] as number;
      const c5 = cum[bounds[at + 5] as number] as number;
      o0 = o0 + w * (c1 - c0);
      o1 = o1 + w * (c2 - c1);
      o2 = o2 + w * (c3 - c2);
      o3 = o3 + w * (c4 - c3);
      o4 = o4 + w * (c5 - c4);
    }
  }
  out[0] = o0;
  out[1] = o1;
  out[2] = o2;
  out[3] = o3;
  out[4] = o4;
  return out;
}

/** One-hot index of each metric value of a vector, in {@link CVSS_METRIC_NAMES} order. */
export function metricIndices(m: CvssBaseMetrics): number[] {
  return CVSS_METRIC_NAMES.map((name) => (CVSS_METRICS[name] as readonly string[]).indexOf(m[name]));
}
