import { AppError } from '../core/index.js';
import type { SparseVector } from './featurizer.js';
import type { LinearModel } from './linear-model.js';

/**
 * The weights file of a technique model, encoding `cstw-1` (all little-endian):
 *
 * | bytes | content |
 * |---|---|
 * | 4 | ASCII `CSTW` |
 * | 4 | u32 layout version, 1 |
 * | 4 × 3 | u32 `dim` (hash buckets), u32 `outputs`, u32 `rows` (stored weight rows) |
 * | 4 × 2 | f32 `idfMin`, f32 `idfStep`: idf of bucket b is `idfMin + code[b] * idfStep` |
 * | dim | u8 idf codes |
 * | 4 × outputs | f32 bias per output |
 * | 4 × outputs | f32 scale per output: weight = int8 × scale |
 * | 4 × rows | u32 bucket of each stored row, ascending |
 * | rows × outputs | i8 weights, row-major (row r, output k at `r * outputs + k`) |
 *
 * Buckets without a stored row have all-zero weights (rows whose weights all quantise
 * to zero are not stored). Quantising to 8 bits per output keeps the shipped model at a
 * few megabytes; `linear-model.ts` trains in float32.
 */

const MAGIC = 'CSTW';
const LAYOUT_VERSION = 1;

/** A loaded, quantised linear model with its idf table, ready to score sparse vectors. */
export interface QuantizedLinear {
  dim: number;
  outputs: number;
  idf: Float32Array;
  bias: Float32Array;
  scale: Float32Array;
  /** Row of each bucket in `weights`, or -1. */
  rowOf: Int32Array;
  weights: Int8Array;
}

/** Encodes a trained model and its idf table as `cstw-1`. */
export function encodeWeights(model: LinearModel, idf: Float32Array): Uint8Array {
  const { dim, outputs } = model;
  if (idf.length !== dim) throw new RangeError(`idf has ${idf.length} entries, model has ${dim} buckets`);
  const scale = new Float32Array(outputs);
  for (let f = 0; f < dim; f++) {
    for (let k = 0; k < outputs; k++) {
      scale[k] = Math.max(scale[k] as number, Math.abs(model.weights[f * outputs + k] as number));
    }
  }
  for (let k = 0; k < outputs; k++) scale[k] = (scale[k] as number) > 0 ? (scale[k] as number) / 127 : 1;
  const quantized = new Int8Array(dim * outputs);
  const keep: number[] = [];
  for (let f = 0; f < dim; f++) {
    let any = false;
    for (let k = 0; k < outputs; k++) {
      const q = Math.round((model.weights[f * outputs + k] as number) / (scale[k] as number));
      quantized[f * outputs + k] = q;
      if (q !== 0) any = true;
    }
    if (any) keep.push(f);
  }
  let idfMin = Number.POSITIVE_INFINITY;
  let idfMax = Number.NEGATIVE_INFINITY;
  for (const v of idf) {
    idfMin = Math.min(idfMin, v);
    idfMax = Math.max(idfMax, v);
  }
  const idfStep = idfMax > idfMin ? (idfMax - idfMin) / 255 : 1;
  const rows = keep.length;
  const size = 4 + 4 + 12 + 8 + dim + 8 * outputs + 4 * rows + rows * outputs;
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  let o = 0;
  for (let i = 0; i < 4; i++) buf[o++] = MAGIC.charCodeAt(i);
  view.setUint32(o, LAYOUT_VERSION, true);
  view.setUint32(o + 4, dim, true);
  view.setUint32(o + 8, outputs, true);
  view.setUint32(o + 12, rows, true);
  view.setFloat32(o + 16, idfMin, true);
  view.setFloat32(o + 20, idfStep, true);
  o += 24;
  for (let f = 0; f < dim; f++) buf[o++] = Math.round(((idf[f] as number) - idfMin) / idfStep);
  for (let k = 0; k < outputs; k++, o += 4) view.setFloat32(o, model.bias[k] as number, true);
  for (let k = 0; k < outputs; k++, o += 4) view.setFloat32(o, scale[k] as number, true);
  for (const f of keep) {
    view.setUint32(o, f, true);
    o += 4;
  }
  for (const f of keep) {
    for (let k = 0; k < outputs; k++) view.setInt8(o++, quantized[f * outputs + k] as number);
  }
  return buf;
}

function corrupt(reason: string): AppError {
  return new AppError('CS_ERR_ARTEFACT_INVALID', `Technique model weights are invalid: ${reason}`, {
    details: { reason },
  });
}

/** Decodes a `cstw-1` file; throws CS_ERR_ARTEFACT_INVALID when it is truncated or malformed. */
export function decodeWeights(bytes: Uint8Array): QuantizedLinear {
  if (bytes.length < 32) throw corrupt('file too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0);
  if (magic !== MAGIC) throw corrupt('not a CSTW file');
  const version = view.getUint32(4, true);
  if (version !== LAYOUT_VERSION) throw corrupt(`layout version ${version} is not supported`);
  const dim = view.getUint32(8, true);
  const outputs = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const idfMin = view.getFloat32(20, true);
  const idfStep = view.getFloat32(24, true);
  const expected = 28 + dim + 8 * outputs + 4 * rows + rows * outputs;
  if (outputs === 0 || rows > dim || bytes.length !== expected) {
    throw corrupt(
      `expected ${expected} bytes for dim ${dim}, ${outputs} outputs, ${rows} rows; got ${bytes.length}`,
    );
  }
  let o = 28;
  const idf = new Float32Array(dim);
  for (let f = 0; f < dim; f++) idf[f] = idfMin + (bytes[o++] as number) * idfStep;
  const bias = new Float32Array(outputs);
  for (let k = 0; k < outputs; k++, o += 4) bias[k] = view.getFloat32(o, true);
  const scale = new Float32Array(outputs);
  for (let k = 0; k < outputs; k++, o += 4) scale[k] = view.getFloat32(o, true);
  const rowOf = new Int32Array(dim).fill(-1);
  for (let r = 0; r < rows; r++, o += 4) {
    const f = view.getUint32(o, true);
    if (f >= dim) throw corrupt(`row bucket ${f} is outside 0..${dim - 1}`);
    rowOf[f] = r;
  }
  const weights = new Int8Array(
    bytes.buffer.slice(bytes.byteOffset + o, bytes.byteOffset + o + rows * outputs),
  );
  return { dim, outputs, idf, bias, scale, rowOf, weights };
}

/**
 * The non-zero weights of a quantised model, packed per bucket for scoring. Most quantised
 * weights are zero (about 60 % in the shipped model), so scoring over these lists does a
 * fraction of the multiplications of the dense rows, with the same sums (adding a zero term
 * changes no float). A bucket's entries sit together in one array, reached straight from
 * the bucket, so a feature costs about one cache line, as a dense int8 row does.
 *
 * `offset[b]` is -1 for a bucket without weights; otherwise `entries[offset[b]]` is the
 * number n of its non-zero weights, followed by n entries `output << 8 | (weight + 128)`.
 */
export interface SparseRows {
  offset: Int32Array;
  entries: Uint16Array;
}

/** The non-zero weights of `model` as {@link SparseRows}; needs at most 256 outputs. */
export function sparseRows(model: QuantizedLinear): SparseRows {
  const K = model.outputs;
  if (K > 256) throw new RangeError(`sparse rows hold at most 256 outputs, the model has ${K}`);
  let stored = 0;
  let nonZero = 0;
  for (let f = 0; f < model.dim; f++) {
    const row = model.rowOf[f] as number;
    if (row < 0) continue;
    stored++;
    for (let k = 0; k < K; k++) if ((model.weights[row * K + k] as number) !== 0) nonZero++;
  }
  const offset = new Int32Array(model.dim).fill(-1);
  const entries = new Uint16Array(stored + nonZero);
  let j = 0;
  for (let f = 0; f < model.dim; f++) {
    const row = model.rowOf[f] as number;
    if (row < 0) continue;
    offset[f] = j;
    const head = j++;
    for (let k = 0; k < K; k++) {
      const w = model.weights[row * K + k] as number;
      if (w !== 0) entries[j++] = (k << 8) | (w + 128);
    }
    entries[head] = j - head - 1;
  }
  return { offset, entries };
}

/** Raw scores (logits) of `x` under a quantised model. */
export function quantizedLogits(model: QuantizedLinear, x: SparseVector): Float32Array {
  const K = model.outputs;
  const acc = new Float32Array(K);
  for (let i = 0; i < x.indices.length; i++) {
    const row = model.rowOf[x.indices[i] as number] as number;
    if (row < 0) continue;
    const v = x.values[i] as number;
    const base = row * K;
    for (let k = 0; k < K; k++) acc[k] = (acc[k] as number) + v * (model.weights[base + k] as number);
  }
  for (let k = 0; k < K; k++)
    acc[k] = (acc[k] as number) * (model.scale[k] as number) + (model.bias[k] as number);
  return acc;
}
