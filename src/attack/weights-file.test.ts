import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import type { LinearModel } from './linear-model.js';
import { decodeWeights, encodeWeights, quantizedLogits } from './weights-file.js';

function model(): LinearModel {
  const dim = 8;
  const outputs = 3;
  const weights = new Float32Array(dim * outputs);
  // Rows 1 and 5 carry weights; the others are zero and must not be stored.
  weights.set([0.5, -1, 0.25], 1 * outputs);
  weights.set([-0.5, 2, 0], 5 * outputs);
  return { output: 'softmax', dim, outputs, weights, bias: Float32Array.from([0.1, -0.2, 0.3]) };
}

test('cstw-1 round trip keeps the scores within the quantisation step', () => {
  const m = model();
  const idf = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const bytes = encodeWeights(m, idf);
  const q = decodeWeights(bytes);
  assert.equal(q.dim, 8);
  assert.equal(q.outputs, 3);
  assert.equal(q.weights.length, 2 * 3, 'only non-zero rows are stored');
  for (let i = 0; i < 8; i++) assert.ok(Math.abs((q.idf[i] as number) - (idf[i] as number)) < 0.02);
  const x = { indices: Uint32Array.from([1, 5, 6]), values: Float32Array.from([1, 0.5, 3]) };
  const z = quantizedLogits(q, x);
  const exact = [0.1 + 0.5 - 0.25, -0.2 - 1 + 1, 0.3 + 0.25];
  for (let k = 0; k < 3; k++)
    assert.ok(Math.abs((z[k] as number) - (exact[k] as number)) < 0.02, `output ${k}`);
});

test('truncated or foreign files are refused', () => {
  const bytes = encodeWeights(model(), new Float32Array(8).fill(1));
  for (const bad of [
    bytes.slice(0, bytes.length - 1),
    bytes.slice(0, 10),
    Uint8Array.from([...bytes].fill(0)),
  ]) {
    assert.throws(
      () => decodeWeights(bad),
      (e) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID'),
    );
  }
});
