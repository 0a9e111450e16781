/**
 * Population stability index and the binning it uses. Pure.
 *
 * PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins, with e the reference and a the
 * live proportions. Conventional reading: < 0.1 stable, 0.1-0.25 moderate
 * shift, > 0.25 major shift.
 */

/** Added to every proportion so empty bins give a finite PSI (then renormalised). */
export const PSI_EPSILON = 1e-4;

/** Proportions of `counts`, smoothed by {@link PSI_EPSILON}; all zeros give a uniform vector. */
export function smoothedProportions(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return counts.map(() => 1 / counts.length);
  const raw = counts.map((c) => c / total + PSI_EPSILON);
  const norm = raw.reduce((s, p) => s + p, 0);
  return raw.map((p) => p / norm);
}

/**
 * PSI between reference and live proportions over the same bins (each
 * smoothed by {@link PSI_EPSILON}). 0 for identical distributions, grows with the shift.
 */
export function populationStabilityIndex(reference: readonly number[], live: readonly number[]): number {
  if (reference.length !== live.length || reference.length === 0) {
    throw new RangeError(
      `PSI needs two proportion vectors of one non-zero length, got ${reference.length} and ${live.length}`,
    );
  }
  const e = smoothedProportions(reference);
  const a = smoothedProportions(live);
  let psi = 0;
  for (let i = 0; i < e.length; i++) psi += (a[i]! - e[i]!) * Math.log(a[i]! / e[i]!);
  return Math.max(0, psi);
}

/**
 * Interior cut points of quantile bins: the values at quantiles 1/b .. (b−1)/b
 * of `sorted` (ascending), deduplicated. A value's bin is the number of cut
 * points strictly below it ({@link binOf}), so a 0/1 flag gets two bins and a
 * constant one bin.
 */
export function quantileCuts(sorted: ArrayLike<number>, bins: number): number[] {
  const cuts: number[] = [];
  const n = sorted.length;
  if (n === 0) return cuts;
  for (let q = 1; q < bins; q++) {
    const v = sorted[Math.min(n - 1, Math.floor((q * n) / bins))]!;
    if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
  }
  return cuts;
}

/** Bin index of `value` given ascending cut points: how many cuts are strictly below it (binary search). */
export function binOf(cuts: readonly number[], value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts of `values` per bin of `cuts` (length cuts.length + 1). */
export function binCounts(cuts: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(cuts, values[i]!)]!++;
  return counts;
}
