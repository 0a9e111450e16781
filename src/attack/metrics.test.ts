import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateTechniques } from './metrics.js';

test('micro and macro figures on a hand-checked example', () => {
  const e = evaluateTechniques([
    { gold: ['T1105'], predicted: ['T1105'] },
    { gold: ['T1105'], predicted: [] },
    { gold: ['T1113'], predicted: ['T1105'] },
    { gold: [], predicted: [] },
    { gold: [], predicted: ['T1113'] },
  ]);
  // tp 1, fp 2 (T1105 on ex 3, T1113 on ex 5), fn 2 (ex 2, ex 3).
  assert.equal(e.n, 5);
  assert.equal(e.precision, 1 / 3);
  assert.equal(e.recall, 1 / 3);
  assert.ok(Math.abs(e.microF1 - 1 / 3) < 1e-12);
  // T1105: p 1/2, r 1/2 -> 0.5; T1113: p 0, r 0 -> 0. Macro over named techniques: 0.25.
  assert.ok(Math.abs(e.macroF1 - 0.25) < 1e-12);
  assert.equal(e.perTechnique.T1105?.support, 2);
  assert.equal(e.perTechnique.T1105?.predicted, 2);
  assert.deepEqual(e.noTechnique, { n: 2, correct: 1 });
  assert.equal(e.exactMatch, 2 / 5);
});

test('ids compare at the depth the data gives', () => {
  const e = evaluateTechniques([
    { gold: ['T1059'], predicted: ['T1059.001'] },
    { gold: ['T1027'], predicted: ['T1027.002', 'T1027.009'] },
    { gold: ['T1003.001'], predicted: ['T1003'] },
  ]);
  assert.equal(e.perTechnique.T1059?.truePositives, 1);
  assert.equal(e.perTechnique.T1027?.truePositives, 1);
  // Two sub-techniques of one named parent count once.
  assert.equal(e.perTechnique.T1027?.predicted, 1);
  // Less specific than the label: a miss and a false positive.
  assert.equal(e.perTechnique['T1003.001']?.truePositives, 0);
  assert.equal(e.perTechnique.T1003?.predicted, 1);
  assert.equal(e.precision, 2 / 3);
  assert.equal(e.recall, 2 / 3);
});

test('empty input scores zero without dividing by zero', () => {
  const e = evaluateTechniques([]);
  assert.equal(e.n, 0);
  assert.equal(e.microF1, 0);
  assert.equal(e.macroF1, 0);
});
