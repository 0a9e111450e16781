import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationReport, selectiveAccuracy } from './metrics.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('accuracy, per-class figures, macro-F1 and confusion on a hand-checked case', () => {
  // truth:  0 0 0 1 1 2 ; pred: 0 0 1 1 2 2
  const r = classificationReport([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 4);
  close(r.accuracy, 4 / 6);
  assert.deepEqual(r.confusion, [
    [2, 1, 0, 0],
    [0, 1, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  close(r.perClass[0]?.precision ?? -1, 1);
  close(r.perClass[0]?.recall ?? -1, 2 / 3);
  close(r.perClass[0]?.f1 ?? -1, 0.8);
  close(r.perClass[1]?.f1 ?? -1, 0.5);
  close(r.perClass[2]?.f1 ?? -1, 2 / 3);
  assert.equal(r.perClass[3]?.support, 0);
  // Class 3 is neither in the truth nor predicted: left out of the macro average.
  close(r.macroF1, (0.8 + 0.5 + 2 / 3) / 3);
});

test('a class predicted but absent from the truth counts in the macro average with F1 0', () => {
  const r = classificationReport([0, 0], [0, 1], 2);
  close(r.macroF1, (2 / 3 + 0) / 2);
});

test('selective accuracy ranks by confidence', () => {
  const correct = [true, false, true, false];
  const conf = [0.9, 0.8, 0.7, 0.1];
  close(selectiveAccuracy(correct, conf, 0.5), 0.5);
  close(selectiveAccuracy(correct, conf, 0.25), 1);
  close(selectiveAccuracy(correct, conf, 1), 0.5);
  close(selectiveAccuracy(correct, conf, 0.75), 2 / 3);
  assert.equal(selectiveAccuracy([], [], 0.5), 0);
});
