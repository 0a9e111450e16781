import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classWeights } from './classifier.js';
import type { LabelledUnit } from './data/corpus.js';
import { type SgdConfig, type TrainExample, trainLinear } from './linear-model.js';
import { parseTrainingSettings } from './settings.js';

function examples(): TrainExample[] {
  // Two separable classes over 4 buckets, plus a noisy one.
  const x = (i: number[], v: number[]) => ({ indices: Uint32Array.from(i), values: Float32Array.from(v) });
  return [
    { x: x([0, 1], [0.8, 0.6]), targets: [0], weight: 1 },
    { x: x([0], [1]), targets: [0], weight: 1 },
    { x: x([2, 3], [0.6, 0.8]), targets: [1], weight: 1 },
    { x: x([3], [1]), targets: [1], weight: 1 },
    { x: x([1, 2], [0.7, 0.7]), targets: [0, 1], weight: 0.5 },
  ];
}

const config: SgdConfig = { output: 'softmax', epochs: 6, learningRate: 0.5, l2: 1e-3, seed: 3 };

test('averageFrom = the last epoch is the plain model; earlier starts average the later passes', () => {
  const plain = trainLinear(examples(), 4, 2, config);
  const last = trainLinear(examples(), 4, 2, { ...config, averageFrom: 6 });
  for (let i = 0; i < plain.weights.length; i++)
    assert.ok(Math.abs((plain.weights[i] as number) - (last.weights[i] as number)) < 1e-6);
  // The mean of epochs 5 and 6 is the mean of the models trained for 5 and for 6 epochs (same seed,
  // same shuffles), so averaging can be checked against two plain runs.
  const five = trainLinear(examples(), 4, 2, { ...config, epochs: 5 });
  const averaged = trainLinear(examples(), 4, 2, { ...config, averageFrom: 5 });
  for (let i = 0; i < plain.weights.length; i++) {
    const want = ((five.weights[i] as number) + (plain.weights[i] as number)) / 2;
    assert.ok(Math.abs((averaged.weights[i] as number) - want) < 1e-5, `weight ${i}`);
  }
  assert.ok(
    Math.abs((averaged.bias[0] as number) - ((five.bias[0] as number) + (plain.bias[0] as number)) / 2) <
      1e-6,
  );
});

test('class weights raise rare techniques to (median / count)^power and never lower frequent ones', () => {
  const unit = (techniques: string[]): LabelledUnit => ({
    text: 'x',
    techniques,
    outside: false,
    report: null,
    source: 'tram-span',
  });
  const units = [
    ...Array.from({ length: 16 }, () => unit(['T1'])),
    ...Array.from({ length: 4 }, () => unit(['T2'])),
    unit(['T3']),
    unit([]),
  ];
  const labels = ['T1', 'T2', 'T3', 'T4'];
  assert.deepEqual([...classWeights(units, labels, parseTrainingSettings({}))], [1, 1, 1, 1]);
  const w = classWeights(units, labels, parseTrainingSettings({ classWeightPower: '0.5' }));
  // counts 16, 4, 1 (T4 unseen): median 4.
  assert.deepEqual([...w], [1, 1, 2, 1]);
});
