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
  z.set(w.embeddingBias);
  addRowsFloat32(z, w.embedding, x.idx, shape.dim, x.val, x.idx.length, shape.dim);
  return z;
}

/**
 * `out[c] += coef[k] * table[index[k] * stride + c]` for c < width, row by row in the order of
 * k < count, each multiply-add rounded to float32 as a store into `out` rounds it (so
 * the same floats as one row at a time). Four rows per pass over the columns (then two, then
 * one): a quarter of the loads and stores of `out`, and four rows' loads in flight at once (the
 * rows are scattered in large tables: these loops wait on memory more than they compute).
 */
export function addRowsFloat32(
  out: Float32Array,
  table: Float32Array,
  index: Int32Array,
  stride: number,
  coef: Float32Array | Float64Array,
  count: number,
  width: number,
): void {
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const r1 = (index[k] as number) * stride;
    const r2 = (index[k + 1] as number) * stride;
    const r3 = (index[k + 2] as number) * stride;
    const r4 = (index[k + 3] as number) * stride;
    const v1 = coef[k] as number;
    const v2 = coef[k + 1] as number;
    const v3 = coef[k + 2] as number;
    const v4 = coef[k + 3] as number;
    for (let j = 0; j < width; j++) {
      const t1 = Math.fround((out[j] as number) + v1 * (table[r1 + j] as number));
      const t2 = Math.fround(t1 + v2 * (table[r2 + j] as number));
      const t3 = Math.fround(t2 + v3 * (table[r3 + j] as number));
      out[j] = t3 + v4 * (table[r4 + j] as number);
    }
  }
  for (; k + 1 < count; k += 2) {
    const r1 = (index[k] as number) * stride;
    const r2 = (index[k + 1] as number) * stride;
    const v1 = coef[k] as number;
    const v2 = coef[k + 1] as number;
    for (let j = 0; j < width; j++) {
      out[j] =
        Math.fround((out[j] as number) + v1 * (table[r1 + j] as number)) + v2 * (table[r2 + j] as number);
    }
  }
  if (k < count) {
    const row = (index[k] as number) * stride;
    const v = coef[k] as number;
    for (let j = 0; j < width; j++) out[j] = (out[j] as number) + v * (table[row + j] as number);
  }
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
