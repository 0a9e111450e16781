import { AppError } from '../core/index.js';
import { solveSymmetric } from './linear-solve.js';
import { seededUniform, type Uniform } from './prng.js';
import { binomial, shapleyFromCoalitionValues } from './shapley-weights.js';

/**
 * The value of coalitions: for each mask (one byte per player, 1 = present)
 * the model output to attribute. Called a few times with batches of masks.
 */
export type CoalitionValues = (masks: readonly Uint8Array[]) => ArrayLike<number>;

/** Options of {@link estimateShapley}. */
export interface ShapleyEstimateOptions {
  /**
   * Most coalitions evaluated, the empty and the full one included. When all
   * 2^players coalitions fit, the values are exact; otherwise KernelSHAP.
   */
  maxEvaluations: number;
  /** Seed of the coalition sampler. */
  seed: number;
}

/** Shapley values of a game, exact or estimated. */
export interface ShapleyEstimate {
  /** One value per player; they sum to `fullValue - baseValue` (enforced exactly, up to rounding). */
  values: Float64Array;
  /** Value of the empty coalition. */
  baseValue: number;
  /** Value of the full coalition. */
  fullValue: number;
  /** Coalitions evaluated, the empty and the full one included. */
  evaluations: number;
  /** True when every coalition was evaluated (exact Shapley values). */
  exact: boolean;
}

/** Smallest budget accepted: the empty and full coalitions plus a few samples. */
export const MIN_EVALUATIONS = 8;
/** Exact enumeration is used up to this many players (2^16 coalitions) when the budget allows. */
const MAX_EXACT_PLAYERS = 16;

function maskOf(bits: number, players: number): Uint8Array {
  const m = new Uint8Array(players);
  for (let i = 0; i < players; i++) m[i] = (bits >>> i) & 1;
  return m;
}

function checkValues(values: ArrayLike<number>, expected: number): void {
  if (values.length !== expected) {
    throw new AppError(
      'CS_ERR_INTERNAL',
      `Shapley: the value function returned ${values.length} values for ${expected} coalitions`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new AppError('CS_ERR_INTERNAL', `Shapley: coalition value ${i} is not finite`);
  }
}

/**
 * Shapley values of `players` players whose coalitions are valued by `value`.
 *
 * Exact when 2^players ≤ `maxEvaluations` (every coalition evaluated, classic
 * formula). Otherwise KernelSHAP (Lundberg & Lee 2017) as the `shap` library
 * samples it: coalition sizes drawn by the Shapley kernel's weight, sizes whose
 * coalitions all fit in the remaining budget enumerated in full (the smallest
 * and largest first: they weigh most), the rest sampled in complementary pairs;
 * then a weighted least-squares fit with the efficiency constraint
 * `Σ values = full - base` imposed exactly. The budget bounds the evaluations.
 *
 * @throws AppError CS_ERR_VALIDATION when `players` is negative or not an integer
 *   or the budget is below {@link MIN_EVALUATIONS}; CS_ERR_INTERNAL when
 *   `value` returns the wrong count or non-finite numbers.
 */
export function estimateShapley(
  players: number,
  value: CoalitionValues,
  options: ShapleyEstimateOptions,
): ShapleyEstimate {
  if (!Number.isInteger(players) || players < 0) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `Shapley: players must be a non-negative integer, got ${players}`,
    );
  }
  if (!Number.isInteger(options.maxEvaluations) || options.maxEvaluations < MIN_EVALUATIONS) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `Shapley: maxEvaluations must be an integer ≥ ${MIN_EVALUATIONS}, got ${options.maxEvaluations}`,
    );
  }
  if (players <= MAX_EXACT_PLAYERS && 2 ** players <= options.maxEvaluations) {
    const coalitions = 2 ** players;
    const masks = Array.from({ length: coalitions }, (_, bits) => maskOf(bits, players));
    const values = value(masks);
    checkValues(values, coalitions);
    return {
      values: shapleyFromCoalitionValues(players, values),
      baseValue: values[0]!,
      fullValue: values[coalitions - 1]!,
      evaluations: coalitions,
      exact: true,
    };
  }
  return kernelShap(players, value, options.maxEvaluations - 2, seededUniform(options.seed));
}

/** A coalition with its accumulated kernel weight. */
interface Sample {
  mask: Uint8Array;
  weight: number;
}

class SampleSet {
  readonly samples: Sample[] = [];
  readonly #index = new Map<string, number>();

  /** Adds `mask` or increases its weight; returns true when it was new. */
  add(mask: Uint8Array, weight: number): boolean {
    const key = mask.join('');
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.samples[at]!.weight += weight;
      return false;
    }
    this.#index.set(key, this.samples.length);
    this.samples.push({ mask, weight });
    return true;
  }
}

function complement(mask: Uint8Array): Uint8Array {
  return mask.map((b) => 1 - b);
}

/** Every subset of {0..n-1} of size k, in lexicographic order. */
function* subsets(n: number, k: number): Generator<Uint8Array> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    const m = new Uint8Array(n);
    for (const i of idx) m[i] = 1;
    yield m;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i] = idx[i]! + 1;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** A uniformly random subset of size k (partial Fisher-Yates). */
function randomSubset(n: number, k: number, rand: Uniform): Uint8Array {
  const perm = Array.from({ length: n }, (_, i) => i);
  const m = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
    m[perm[i]!] = 1;
  }
  return m;
}

function kernelShap(players: number, value: CoalitionValues, budget: number, rand: Uniform): ShapleyEstimate {
  const m = players;
  const ends = value([new Uint8Array(m), new Uint8Array(m).fill(1)]);
  checkValues(ends, 2);
  const base = ends[0]!;
  const full = ends[1]!;

  // Kernel weight of each size class s = 1..ceil((m-1)/2), a size and its complement counted together.
  const sizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  const weight = new Float64Array(sizes);
  for (let s = 1; s <= sizes; s++) weight[s - 1] = ((m - 1) / (s * (m - s))) * (s <= pairedSizes ? 2 : 1);
  const total = weight.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) weight[i] = weight[i]! / total;

  const set = new SampleSet();
  let left = budget;
  let fullSizes = 0;
  const remaining = Float64Array.from(weight);
  for (let s = 1; s <= sizes; s++) {
    const paired = s <= pairedSizes;
    const count = binomial(m, s) * (paired ? 2 : 1);
    if ((left * remaining[s - 1]!) / count < 1 - 1e-8) break;
    fullSizes++;
    left -= count;
    if (remaining[s - 1]! < 1) {
      const scale = 1 - remaining[s - 1]!;
      for (let i = 0; i < sizes; i++) remaining[i] = remaining[i]! / scale;
    }
    const w = weight[s - 1]! / count;
    for (const mask of subsets(m, s)) {
      set.add(mask, w);
      if (paired) set.add(complement(mask), w);
    }
  }
  const fixed = set.samples.length;

  if (fullSizes < sizes && left > 0) {
    // Sample the other sizes by kernel weight, each draw with its complement.
    const probs = Float64Array.from(weight.subarray(fullSizes));
    for (let i = 0; i < probs.length; i++) if (fullSizes + i + 1 <= pairedSizes) probs[i] = probs[i]! / 2;
    const sum = probs.reduce((a, b) => a + b, 0);
    for (let i = 0; i < probs.length; i++) probs[i] = probs[i]! / sum;
    let added = 0;
    // Draws are bounded: repeated coalitions only add weight, so stop after enough tries.
    for (let tries = 0; added < left && tries < left * 20; tries++) {
      let r = rand();
      let i = 0;
      while (i < probs.length - 1 && r >= probs[i]!) r -= probs[i++]!;
      const s = fullSizes + i + 1;
      const mask = randomSubset(m, s, rand);
      if (set.add(mask, 1)) added++;
      if (s <= pairedSizes && added < left && set.add(complement(mask), 1)) added++;
    }
    const sampled = set.samples.slice(fixed);
    const sampledWeight = sampled.reduce((a, x) => a + x.weight, 0);
    const owed = weight.subarray(fullSizes).reduce((a, b) => a + b, 0);
    for (const x of sampled) x.weight *= owed / sampledWeight;
  }

  const samples = set.samples;
  const values = value(samples.map((x) => x.mask));
  checkValues(values, samples.length);

  // Weighted least squares with Σφ = full - base: substitute φ_last = Δ - Σ_{j<last} φ_j.
  const delta = full - base;
  const n = m - 1;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  const row = new Float64Array(n);
  samples.forEach((x, k) => {
    const zl = x.mask[m - 1]!;
    for (let j = 0; j < n; j++) row[j] = x.mask[j]! - zl;
    const y = values[k]! - base - zl * delta;
    for (let i = 0; i < n; i++) {
      const ri = row[i]!;
      if (ri === 0) continue;
      atb[i] = atb[i]! + x.weight * ri * y;
      for (let j = 0; j < n; j++) ata[i * n + j] = ata[i * n + j]! + x.weight * ri * row[j]!;
    }
  });
  let trace = 0;
  for (let i = 0; i < n; i++) trace += ata[i * n + i]!;
  const phiHead = solveSymmetric(ata, atb, n, Math.max(1e-12, (1e-8 * trace) / Math.max(n, 1)));
  const phi = new Float64Array(m);
  let headSum = 0;
  for (let j = 0; j < n; j++) {
    phi[j] = phiHead[j]!;
    headSum += phiHead[j]!;
  }
  phi[m - 1] = delta - headSum;
  return { values: phi, baseValue: base, fullValue: full, evaluations: samples.length + 2, exact: false };
}
