import type { SparseVector } from './text-features.js';

/**
 * The hashed n-gram network: an embedding bag over hashed features followed
 * either directly by the output heads (`hidden = 0`, a linear model) or by a
 * ReLU hidden layer and then the heads (a fastText-style model with a
 * non-linearity). Heads are laid out one after another in one output vector.
 */
export interface NetworkShape {
  /** Rows of the embedding table (hash buckets). */
  buckets: number;
  /** Width of the embedding; equals the total output width when `hidden` is false. */
  dim: number;
  /** Whether a ReLU layer and dense heads follow the embedding bag. */
  hidden: boolean;
  /** Sizes of the output heads, in order (first: the 5 severity classes). */
  heads: number[];
}

/** Weights of a network of a given shape, as flat typed arrays (row-major). */
export interface NetworkWeights {
  /** buckets x dim */
  embedding: Float32Array;
  /** dim */
  embeddingBias: Float32Array;
  /** dim x outputs (hidden networks only, else empty) */
  dense: Float32Array;
  /** outputs (hidden networks only, else empty) */
  denseBias: Float32Array;
}

/** Total width of the output vector (sum of head sizes). */
export function outputWidth(shape: Pick<NetworkShape, 'heads'>): number {
  return shape.heads.reduce((a, b) => a + b, 0);
}

/** Allocates zeroed weights for a shape. */
export function allocateWeights(shape: NetworkShape): NetworkWeights {
  const out = outputWidth(shape);
  return {
    embedding: new Float32Array(shape.buckets * shape.dim),
    embeddingBias: new Float32Array(shape.dim),
    dense: new Float32Array(shape.hidden ? shape.dim * out : 0),
    denseBias: new Float32Array(shape.hidden ? out : 0),
  };
}

/**
 * Computes the embedding bag `z = bias + sum_k val_k * E[idx_k]` into `z`
 * (length dim); returns `z`.
 */
export function embed(
  shape: NetworkShape,
  w: NetworkWeights,
  x: SparseVector,
  z: Float32Array,
): Float32Array {
  const d = shape.dim;
  const e = w.embedding;
  const idx = x.idx;
  const val = x.val;
  z.set(w.embeddingBias);
  // Four features per pass over the columns (then two, then one): each element still gets
  // its multiply-adds in feature order, each rounded to float32 as a store into `z` would
  // round it (so the same floats as one feature at a time), with a quarter of the loads
  // and stores of `z` and four rows' loads in flight at once (the rows are scattered in a
  // 16 MB table: this loop waits on memory more than it computes).
  const n = idx.length;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const r1 = (idx[k] as number) * d;
    const r2 = (idx[k + 1] as number) * d;
    const r3 = (idx[k + 2] as number) * d;
    const r4 = (idx[k + 3] as number) * d;
    const v1 = val[k] as number;
    const v2 = val[k + 1] as number;
    const v3 = val[k + 2] as number;
    const v4 = val[k + 3] as number;
    for (let j = 0; j < d; j++) {
      const t1 = Math.fround((z[j] as number) + v1 * (e[r1 + j] as number));
      const t2 = Math.fround(t1 + v2 * (e[r2 + j] as number));
      const t3 = Math.fround(t2 + v3 * (e[r3 + j] as number));
      z[j] = t3 + v4 * (e[r4 + j] as number);
    }
  }
  for (; k + 1 < n; k += 2) {
    const r1 = (idx[k] as number) * d;
    const r2 = (idx[k + 1] as number) * d;
    const v1 = val[k] as number;
    const v2 = val[k + 1] as number;
    for (let j = 0; j < d; j++) {
      z[j] = Math.fround((z[j] as number) + v1 * (e[r1 + j] as number)) + v2 * (e[r2 + j] as number);
    }
  }
  if (k < n) {
    const row = (idx[k] as number) * d;
    const v = val[k] as number;
    for (let j = 0; j < d; j++) z[j] = (z[j] as number) + v * (e[row + j] as number);
  }
  return z;
}

/**
 * Raw output scores (logits of every head, concatenated) of one input.
 * `scratch` must have length dim; `out` length {@link outputWidth}.
 */
export function forward(
  shape: NetworkShape,
  w: NetworkWeights,
  x: SparseVector,
  scratch: Float32Array,
  out: Float32Array,
): Float32Array {
  const z = embed(shape, w, x, scratch);
  if (!shape.hidden) {
    out.set(z);
    return out;
  }
  const o = out.length;
  const dense = w.dense;
  out.set(w.denseBias);
  for (let j = 0; j < shape.dim; j++) {
    const h = z[j] as number;
    if (h <= 0) continue; // ReLU
    const row = j * o;
    for (let c = 0; c < o; c++) out[c] = (out[c] as number) + h * (dense[row + c] as number);
  }
  return out;
}

/** Softmax of `logits[from, from+n)` divided by `temperature`, written to `probs[0, n)`. */
export function softmaxSlice(
  logits: Float32Array | Float64Array,
  from: number,
  n: number,
  temperature: number,
  probs: Float64Array,
): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) max = Math.max(max, (logits[from + c] as number) / temperature);
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const e = Math.exp((logits[from + c] as number) / temperature - max);
    probs[c] = e;
    sum += e;
  }
  for (let c = 0; c < n; c++) probs[c] = (probs[c] as number) / sum;
  return probs;
}
