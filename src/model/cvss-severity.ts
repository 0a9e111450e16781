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

/**
 * The severity distribution implied by independent per-metric distributions:
 * P(class) = sum over all 2,592 metric combinations whose CVSS 3.1 base score
 * falls in that class of the product of the metrics' probabilities.
 * `metricProbs[m]` follows the value order of {@link CVSS_METRICS}.
 */
export function severityFromMetricProbs(
  metricProbs: readonly ArrayLike<number>[],
  out = new Float64Array(5),
): Float64Array {
  const t = severityTable();
  const sizes = CVSS_HEAD_SIZES;
  out.fill(0);
  // Depth-first walk over all metrics but the last two, with running partial
  // products per depth; the last two metrics are plain loops (most of the
  // 2,592 leaves), which keeps the products, their order and the order of the
  // sums exactly those of a walk down to every leaf, at a third of the cost.
  const n = sizes.length - 2;
  const pPrev = metricProbs[n] as ArrayLike<number>;
  const pLast = metricProbs[n + 1] as ArrayLike<number>;
  const sPrev = sizes[n] as number;
  const sLast = sizes[n + 1] as number;
  const partial = new Float64Array(n + 1);
  partial[0] = 1;
  const pick = new Int32Array(n);
  let index = 0;
  let depth = 0;
  // Leaves are visited in table order.
  for (;;) {
    if (depth === n) {
      const g = partial[n] as number;
      for (let a = 0; a < sPrev; a++) {
        const parent = g * (pPrev[a] as number);
        for (let b = 0; b < sLast; b++) {
          const cls = t[index++] as number;
          out[cls] = (out[cls] as number) + parent * (pLast[b] as number);
        }
      }
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

/** One-hot index of each metric value of a vector, in {@link CVSS_METRIC_NAMES} order. */
export function metricIndices(m: CvssBaseMetrics): number[] {
  return CVSS_METRIC_NAMES.map((name) => (CVSS_METRICS[name] as readonly string[]).indexOf(m[name]));
}
