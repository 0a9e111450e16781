import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hiddenProbabilities, toNetworkExamples, trainHiddenNetwork } from './hidden-network.js';
import type { TrainExample } from './linear-model.js';
import { parseTrainingSettings } from './settings.js';

const x = (i: number[], v: number[]) => ({ indices: Uint32Array.from(i), values: Float32Array.from(v) });

// XOR over buckets 0 and 1 (bucket 2 always on): no linear softmax separates it.
function xor(): TrainExample[] {
  return [
    { x: x([2], [1]), targets: [0], weight: 1 },
    { x: x([0, 1, 2], [0.6, 0.6, 0.5]), targets: [0], weight: 1 },
    { x: x([0, 2], [0.8, 0.6]), targets: [1], weight: 1 },
    { x: x([1, 2], [0.8, 0.6]), targets: [1], weight: 1 },
  ];
}

test('a unit with n targets becomes n one-class examples of weight w/n', () => {
  const out = toNetworkExamples([{ x: x([3, 5], [0.6, 0.8]), targets: [1, 4], weight: 0.5 }]);
  assert.equal(out.length, 2);
  assert.deepEqual(
    out.map((e) => [[...e.targets], e.weight]),
    [
      [[1], 0.25],
      [[4], 0.25],
    ],
  );
  assert.deepEqual([...(out[0]?.x.idx ?? [])], [3, 5]);
});

test('the hidden layer learns XOR and training is deterministic per seed', () => {
  const settings = parseTrainingSettings({
    hidden: '16',
    hiddenEpochs: '200',
    hiddenLearningRate: '0.003',
    inputDropout: '0',
    hiddenDropout: '0',
  });
  const data = Array.from({ length: 8 }, xor).flat();
  const net = trainHiddenNetwork(data, 4, 2, settings, 5);
  for (const ex of xor()) {
    const p = hiddenProbabilities(net, ex.x);
    assert.ok((p[ex.targets[0] as number] as number) > 0.9, `class ${ex.targets[0]} gets ${p[0]}, ${p[1]}`);
  }
  const again = trainHiddenNetwork(data, 4, 2, settings, 5);
  assert.deepEqual(again.weights.dense, net.weights.dense);
  const other = trainHiddenNetwork(data, 4, 2, settings, 6);
  assert.notDeepEqual(other.weights.dense, net.weights.dense);
});
