/**
 * Nearest-rank percentile of `values` (any order) for `p` in (0, 100]:
 * the smallest value with at least p% of the values at or below it.
 * Returns NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
