/**
 * Quantile tables of the training error distribution, and where a new error
 * falls in it.
 */

/**
 * `size` quantiles of `values` at levels 0, 1/(size-1), ..., 1, with linear
 * interpolation between order statistics (type 7, as numpy's default).
 * `values` must be non-empty and finite; it is not modified.
 */
export function quantileTable(values: ArrayLike<number>, size: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileTable needs at least one value');
  if (!Number.isInteger(size) || size < 2)
    throw new RangeError(`quantileTable size must be an integer ≥ 2, got ${size}`);
  const out: number[] = [];
  for (let q = 0; q < size; q++) {
    const h = ((n - 1) * q) / (size - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    out.push(sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!));
  }
  return out;
}

/**
 * The level in [0, 1] at which `value` falls in a quantile table (the
 * inverse of {@link quantileTable}, interpolated linearly): 0 at or below the
 * smallest training error, 1 at or above the largest. Where the table has a
 * run of equal entries (ties), a value equal to them gets the run's upper level.
 */
export function levelOf(table: readonly number[], value: number): number {
  const last = table.length - 1;
  if (Number.isNaN(value)) return 1;
  if (value <= table[0]!) return 0;
  if (value >= table[last]!) return 1;
  // Largest i with table[i] <= value.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (table[mid]! <= value) lo = mid;
    else hi = mid;
  }
  const a = table[lo]!;
  const b = table[hi]!;
  const frac = b > a ? (value - a) / (b - a) : 1;
  return (lo + frac) / last;
}
