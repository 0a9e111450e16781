/**
 * Probability calibration: temperature scaling fitted by minimising the
 * negative log-likelihood on held-out data, and the expected calibration
 * error (ECE) with its reliability table.
 */

/** Softmax of `logits / temperature` (numerically stable). */
export function softmaxT(logits: ArrayLike<number>, temperature: number): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, (logits[i] as number) / temperature);
  const e = Array.from({ length: logits.length }, (_, i) =>
    Math.exp((logits[i] as number) / temperature - max),
  );
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Mean negative log-likelihood of the true classes at a temperature. */
export function nllAt(
  logits: readonly ArrayLike<number>[],
  truth: ArrayLike<number>,
  temperature: number,
): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const p = softmaxT(logits[i] as ArrayLike<number>, temperature)[truth[i] as number] as number;
    sum -= Math.log(Math.max(p, 1e-12));
  }
  return logits.length === 0 ? 0 : sum / logits.length;
}

/**
 * Fits the temperature T > 0 minimising the validation NLL of
 * `softmax(logits / T)`, by golden-section search on log T over [0.05, 20]
 * (the NLL is unimodal in T for fixed logits). Returns 1 for no examples.
 */
export function fitTemperature(logits: readonly ArrayLike<number>[], truth: ArrayLike<number>): number {
  if (logits.length === 0) return 1;
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nllAt(logits, truth, Math.exp(a));
  let fb = nllAt(logits, truth, Math.exp(b));
  for (let it = 0; it < 60 && hi - lo > 1e-5; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nllAt(logits, truth, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nllAt(logits, truth, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** One bin of a reliability table. */
export interface ReliabilityBin {
  /** Confidence range [lo, hi). The last bin includes 1. */
  lo: number;
  hi: number;
  count: number;
  /** Mean confidence of the bin's examples (0 when empty). */
  confidence: number;
  /** Accuracy of the bin's examples (0 when empty). */
  accuracy: number;
}

/** The expected calibration error and the table it is computed from. */
export interface CalibrationReport {
  /** Sum over bins of (count / n) * |accuracy - confidence|. */
  ece: number;
  bins: ReliabilityBin[];
}

/**
 * Expected calibration error of top-class confidences with `bins` equal-width
 * bins over [0, 1] (default 15, the usual choice since Guo et al. 2017).
 */
export function calibrationReport(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  bins = 15,
): CalibrationReport {
  const n = confidence.length;
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const c = confidence[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + c;
    if (correct[i]) hit[b] = (hit[b] as number) + 1;
  }
  let ece = 0;
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const k = count[b] as number;
    const mc = k === 0 ? 0 : (conf[b] as number) / k;
    const acc = k === 0 ? 0 : (hit[b] as number) / k;
    if (n > 0) ece += (k / n) * Math.abs(acc - mc);
    table.push({ lo: b / bins, hi: (b + 1) / bins, count: k, confidence: mc, accuracy: acc });
  }
  return { ece, bins: table };
}

/**
 * Per-class offsets added to log-probabilities before the argmax, chosen on
 * held-out data to maximise `objective(truth, predictions)` (for example the
 * mean of accuracy and macro-F1), by coordinate ascent over a grid in
 * [-range, range] with the given step. The first class with the largest
 * count keeps offset 0 (offsets are defined up to a constant). Returns zeros
 * when nothing improves the objective.
 */
export function fitClassOffsets(
  logits: readonly ArrayLike<number>[],
  truth: ArrayLike<number>,
  classes: number,
  objective: (truth: ArrayLike<number>, pred: number[]) => number,
  options: { range?: number; step?: number; rounds?: number; frozen?: readonly number[] } = {},
): number[] {
  const range = options.range ?? 1.5;
  const step = options.step ?? 0.1;
  const offsets = new Array<number>(classes).fill(0);
  const frozen = new Set(options.frozen ?? []);
  const predict = (off: readonly number[]) =>
    logits.map((l) => {
      let best = 0;
      let bestV = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) {
        const v = (l[c] as number) + (off[c] as number);
        if (v > bestV) {
          bestV = v;
          best = c;
        }
      }
      return best;
    });
  let best = objective(truth, predict(offsets));
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    let improved = false;
    for (let c = 0; c < classes; c++) {
      if (frozen.has(c)) continue;
      const keep = offsets[c] as number;
      let bestValue = keep;
      for (let v = -range; v <= range + 1e-9; v += step) {
        offsets[c] = Math.round(v * 1000) / 1000;
        const score = objective(truth, predict(offsets));
        if (score > best + 1e-9) {
          best = score;
          bestValue = offsets[c] as number;
          improved = true;
        }
      }
      offsets[c] = bestValue;
    }
    if (!improved) break;
  }
  return offsets;
}
