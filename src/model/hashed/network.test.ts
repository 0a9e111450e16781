import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../core/index.js';
import { allocateWeights, embed, type NetworkShape } from './network.js';

/** The embedding bag one feature at a time, as `embed` computed it before it took four per pass. */
function embedOneByOne(
  shape: NetworkShape,
  e: Float32Array,
  bias: Float32Array,
  idx: Int32Array,
  val: Float32Array,
) {
  const z = Float32Array.from(bias);
  for (let k = 0; k < idx.length; k++) {
    const row = idx[k]! * shape.dim;
    for (let j = 0; j < shape.dim; j++) z[j] = z[j]! + val[k]! * e[row + j]!;
  }
  return z;
}

test('embed gives the floats of one feature at a time, bit for bit, for every remainder of four', () => {
  const random = mulberry32(7);
  // dim 6: not a multiple of four either; values of mixed magnitude so float32 rounding matters.
  const shape: NetworkShape = { buckets: 64, dim: 6, hidden: false, heads: [6] };
  const w = allocateWeights(shape);
  for (let i = 0; i < w.embedding.length; i++) w.embedding[i] = (random() - 0.5) * 10 ** (random() * 6 - 3);
  for (let j = 0; j < shape.dim; j++) w.embeddingBias[j] = random() - 0.5;
  for (let n = 0; n <= 11; n++) {
    const idx = Int32Array.from({ length: n }, () => Math.floor(random() * shape.buckets));
    const val = Float32Array.from({ length: n }, () => random() * 3 - 1);
    const got = embed(shape, w, { idx, val }, new Float32Array(shape.dim));
    const want = embedOneByOne(shape, w.embedding, w.embeddingBias, idx, val);
    assert.deepEqual([...got], [...want], `n = ${n}`);
  }
});
