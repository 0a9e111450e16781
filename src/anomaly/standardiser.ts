/**
 * Per-slot standardisation of feature vectors before the autoencoder: the
 * slots live on different scales (LSA components with unit RMS, counts and
 * flags in [0, 1]), and an unscaled error would be dominated by the widest.
 */
export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
  /** |z| is clipped to this, so one wild slot cannot dominate the error of an input. */
  clip: number;
}

/**
 * Fits mean and standard deviation per slot. Slots that never vary (reserved
 * ones, or flags no training text sets) get `minStd`, so a nonzero value there
 * at scoring time counts as strongly unusual rather than dividing by zero.
 */
export function fitStandardiser(rows: readonly Float32Array[], minStd: number, clip: number): Standardiser {
  const d = rows[0]!.length;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] = mean[j]! + r[j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / rows.length;
  for (const r of rows) {
    for (let j = 0; j < d; j++) {
      const dv = r[j]! - mean[j]!;
      sq[j] = sq[j]! + dv * dv;
    }
  }
  const std = sq.map((s) => Math.max(Math.sqrt(s / rows.length), minStd));
  return { mean, std, clip };
}

/** The standardised, clipped copy of `x`. */
export function standardise(s: Standardiser, x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const z = (x[j]! - s.mean[j]!) / s.std[j]!;
    out[j] = Math.min(s.clip, Math.max(-s.clip, z));
  }
  return out;
}

/** Mean squared difference of two equal-length vectors. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s / a.length;
}
