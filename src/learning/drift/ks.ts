/** Two-sample Kolmogorov–Smirnov test. Pure. */

/** The outcome of a KS test. */
export interface KsResult {
  /** Largest distance between the two empirical CDFs, in [0, 1]. */
  statistic: number;
  /** Asymptotic p-value (Kolmogorov distribution at √(nm/(n+m))·D, with Stephens' small-sample correction). */
  pValue: number;
}

/** P(K > x) for the Kolmogorov distribution (alternating series; 1 for tiny x). */
export function kolmogorovTail(x: number): number {
  if (x < 0.27) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Two-sample KS statistic and p-value. Both samples must be sorted ascending
 * (the reference is stored sorted; the caller sorts the live window once).
 * Empty samples give D = 0, p = 1.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovTail((en + 0.12 + 0.11 / en) * d) };
}
