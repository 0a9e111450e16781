import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explanationJson } from './explanation-json.js';
import { explainFamilies } from './family-shapley.js';
import { explainByOcclusion } from './occlusion.js';
import { explainText } from './text-shapley.js';

test('explanations become plain JSON with class names, rounded values and the top words', () => {
  const vector = Float32Array.from({ length: 128 }, (_, i) => (i % 7) / 7);
  const families = explainFamilies(
    { predictVectors: (vs) => vs.map((v) => [0.1 + 0.5 * v[95]!, 0.9 - 0.5 * v[95]!, 0, 0, 0]) },
    vector,
    [new Float32Array(128)],
    { classIndex: 1 },
  );
  const words = explainText(
    { predictProba: (t) => (t.includes('remote') ? [0.2, 0.7, 0.1, 0, 0] : [0.2, 0.4, 0.4, 0, 0]) },
    'A remote attacker can read files.',
    { classIndex: 1 },
  );
  const json = explanationJson({ families, words }, 2);
  assert.equal(json.explainedClass, 'high');
  assert.equal(json.families?.values.length, 8);
  assert.deepEqual(json.families?.values[6]?.slots, [90, 100]);
  assert.ok(Math.abs(json.families!.values[6]!.value - -0.5 * vector[95]!) < 1e-6);
  assert.deepEqual(json.words?.top[0], { text: 'remote', start: 2, end: 8, value: 0.3 });
  assert.equal(json.words?.top.length, 2);
  assert.equal(json.words?.units, 6);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
  // Listed values and the rest add up to the prediction.
  const w = json.words!;
  const sum = w.baseValue! + w.top.reduce((s, a) => s + a.value, 0) + w.otherValue!;
  assert.ok(Math.abs(sum - w.prediction) < 1e-5, `${sum} vs ${w.prediction}`);
  assert.throws(() => explanationJson({}), RangeError);
  assert.throws(() => explanationJson({ families, words: { ...words, classIndex: 0 } }), RangeError);
});

test('leave-one-out occlusion becomes JSON without a base value', () => {
  const occlusion = explainByOcclusion(
    { predictProba: (t) => (t.includes('remote') ? [0.2, 0.7, 0.1, 0, 0] : [0.2, 0.4, 0.4, 0, 0]) },
    'A remote attacker can read files.',
  );
  const json = explanationJson({ words: occlusion }, 3);
  assert.equal(json.explainedClass, 'high');
  assert.equal(json.words?.method, 'leave-one-out');
  assert.equal(json.words?.baseValue, undefined);
  assert.equal(json.words?.otherValue, undefined);
  assert.deepEqual(json.words?.top[0], { text: 'remote', start: 2, end: 8, value: 0.3 });
  assert.equal(json.words?.modelCalls, 7);
});
