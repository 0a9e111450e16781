/**
 * Combinatorics shared by the exact and the sampled Shapley estimators.
 */

/** ln(k!) for k = 0..n, by summation (exact enough for n ≤ a few thousand). */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = out[k - 1]! + Math.log(k);
  return out;
}

/**
 * The Shapley weight of a coalition of `size` players not holding player i,
 * among `players`: size! (players - size - 1)! / players!. Index by size.
 */
export function shapleyWeights(players: number): Float64Array {
  const lf = logFactorials(players);
  const out = new Float64Array(players);
  for (let s = 0; s < players; s++) out[s] = Math.exp(lf[s]! + lf[players - s - 1]! - lf[players]!);
  return out;
}

/** Binomial coefficient C(n, k) as a float (exact for the sizes used here, n ≤ 64). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  // The running product is exact up to 2^53 after rounding; beyond that a float is all we need.
  return r < 2 ** 53 ? Math.round(r) : r;
}

/** Number of set bits of a non-negative 32-bit integer. */
export function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Exact Shapley values of a game of `players` (≤ 20) players given the value
 * of every coalition, indexed by bitmask (bit i set: player i in). Returns one
 * value per player; their sum equals `values[full] - values[0]` up to rounding.
 */
export function shapleyFromCoalitionValues(players: number, values: ArrayLike<number>): Float64Array {
  const full = 2 ** players;
  if (values.length !== full) throw new RangeError(`Expected ${full} coalition values, got ${values.length}`);
  const w = shapleyWeights(players);
  const phi = new Float64Array(players);
  for (let mask = 0; mask < full; mask++) {
    const size = popcount(mask);
    const vS = values[mask]!;
    for (let i = 0; i < players; i++) {
      const bit = 1 << i;
      if ((mask & bit) !== 0) continue;
      phi[i] = phi[i]! + w[size]! * (values[mask | bit]! - vS);
    }
  }
  return phi;
}
