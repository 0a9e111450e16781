/**
 * Decision thresholds: a technique is predicted for a sentence when its score
 * reaches the technique's threshold (best first, at most a few per sentence).
 * Thresholds are tuned on validation data only, to maximise micro-F1.
 */

/** Indices of the techniques whose score reaches their threshold, best first, at most `maxLabels`. */
export function decide(
  scores: ArrayLike<number>,
  thresholds: ArrayLike<number>,
  maxLabels: number,
): number[] {
  const hits: number[] = [];
  for (let k = 0; k < thresholds.length; k++)
    if ((scores[k] as number) >= (thresholds[k] as number)) hits.push(k);
  hits.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  return hits.slice(0, maxLabels);
}

/** Validation scores: one row of technique scores per example, and the example's label indices. */
export interface ScoredRows {
  scores: readonly ArrayLike<number>[];
  labels: readonly (readonly number[])[];
}

/** The candidate thresholds of the grid search: 0.02 to 0.95 by 0.01. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 94 }, (_, i) => (2 + i) / 100);

/** Micro-F1 from pooled counts (0 when nothing is right). */
export function microF1FromCounts(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Micro-F1 of `rows` under the given thresholds and per-sentence cap. */
export function microF1At(rows: ScoredRows, thresholds: ArrayLike<number>, maxLabels: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  rows.scores.forEach((s, i) => {
    const gold = new Set(rows.labels[i]);
    const predicted = decide(s, thresholds, maxLabels);
    for (const p of predicted) {
      if (gold.has(p)) tp++;
      else fp++;
    }
    for (const g of gold) if (!predicted.includes(g)) fn++;
  });
  return microF1FromCounts(tp, fp, fn);
}

/** The single threshold, shared by all techniques, that maximises micro-F1 on `rows` (ties: the lower one). */
export function tuneGlobalThreshold(
  rows: ScoredRows,
  techniques: number,
  maxLabels: number,
): { threshold: number; microF1: number } {
  let best = { threshold: 0.5, microF1: -1 };
  for (const t of THRESHOLD_GRID) {
    const f = microF1At(rows, new Float64Array(techniques).fill(t), maxLabels);
    if (f > best.microF1 + 1e-12) best = { threshold: t, microF1: f };
  }
  return best;
}

/**
 * Per-technique thresholds by coordinate ascent from `start`: each technique with at
 * least `minSupport` validation examples takes the grid threshold that maximises pooled
 * micro-F1 with the others fixed (two rounds; the per-sentence cap is ignored while
 * tuning, it rarely binds). Techniques with less evidence keep `start`: a threshold
 * fitted to a handful of examples does not generalise.
 */
export function tunePerTechniqueThresholds(
  rows: ScoredRows,
  start: number,
  techniques: number,
  minSupport: number,
): Float64Array {
  const G = THRESHOLD_GRID.length;
  // tpAt[k*G+g], fpAt[k*G+g]: counts of technique k at grid threshold g; support[k]: its positives.
  const tpAt = new Float64Array(techniques * G);
  const fpAt = new Float64Array(techniques * G);
  const support = new Float64Array(techniques);
  rows.scores.forEach((s, i) => {
    const gold = new Set(rows.labels[i]);
    for (const k of gold) support[k] = (support[k] as number) + 1;
    for (let k = 0; k < techniques; k++) {
      const score = s[k] as number;
      const counts = gold.has(k) ? tpAt : fpAt;
      for (let g = 0; g < G && (THRESHOLD_GRID[g] as number) <= score; g++)
        counts[k * G + g] = (counts[k * G + g] as number) + 1;
    }
  });
  const gridIndex = (t: number): number => {
    let best = 0;
    for (let g = 0; g < G; g++) if (Math.abs((THRESHOLD_GRID[g] as number) - t) < 1e-9) best = g;
    return best;
  };
  const chosen = new Array<number>(techniques).fill(gridIndex(start));
  const totals = () => {
    let tp = 0;
    let fp = 0;
    let pos = 0;
    for (let k = 0; k < techniques; k++) {
      tp += tpAt[k * G + (chosen[k] as number)] as number;
      fp += fpAt[k * G + (chosen[k] as number)] as number;
      pos += support[k] as number;
    }
    return { tp, fp, pos };
  };
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < techniques; k++) {
      if ((support[k] as number) < minSupport) continue;
      const all = totals();
      const c = chosen[k] as number;
      const tpOther = all.tp - (tpAt[k * G + c] as number);
      const fpOther = all.fp - (fpAt[k * G + c] as number);
      let bestG = c;
      let bestF = microF1FromCounts(all.tp, all.fp, all.pos - all.tp);
      for (let g = 0; g < G; g++) {
        const tp = tpOther + (tpAt[k * G + g] as number);
        const f = microF1FromCounts(tp, fpOther + (fpAt[k * G + g] as number), all.pos - tp);
        if (f > bestF + 1e-12) {
          bestF = f;
          bestG = g;
        }
      }
      chosen[k] = bestG;
    }
  }
  return Float64Array.from(chosen, (g) => THRESHOLD_GRID[g] as number);
}
