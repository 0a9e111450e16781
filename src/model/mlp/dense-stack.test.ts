import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { createRng } from '../rng.js';
import { denseForward, denseStackOf } from './dense-stack.js';
import { tfjs } from './tfjs-runtime.js';

test('plain dense inference equals TF.js predict on the same network', async () => {
  const tf = await tfjs();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [12],
        units: 8,
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: 'randomNormal',
      }),
      tf.layers.dropout({ rate: 0.3, seed: 2 }),
      tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
  const layers = denseStackOf(model);
  assert.deepEqual(
    layers.map((l) => [l.inputs, l.units, l.activation]),
    [
      [12, 8, 'relu'],
      [8, 6, 'relu'],
      [6, 5, 'softmax'],
    ],
  );
  const rng = createRng(5);
  const xs = Array.from({ length: 20 }, () => Float32Array.from({ length: 12 }, () => rng.normal()));
  const flat = new Float32Array(20 * 12);
  xs.forEach((x, i) => {
    flat.set(x, i * 12);
  });
  const expected = (model.predict(tf.tensor2d(flat, [20, 12])) as Tensor).dataSync();
  xs.forEach((x, i) => {
    const got = denseForward(layers, x);
    for (let c = 0; c < 5; c++)
      assert.ok(Math.abs((got[c] as number) - (expected[i * 5 + c] as number)) < 1e-5);
  });
  model.dispose();
});
