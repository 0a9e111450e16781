import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainByOcclusion } from './occlusion.js';
import { occlude, textUnits } from './text-units.js';

// A model whose class-1 probability grows with the number of "overflow" and "remote" words.
const model = {
  predictProba: (t: string) => {
    const hits = (t.match(/overflow|remote/g) ?? []).length;
    const p = Math.min(0.9, 0.1 + 0.3 * hits);
    return [0.05, p, 0.95 - p, 0, 0];
  },
};

test('each value is the class probability of the full text minus that without the unit', () => {
  const text = 'A remote heap overflow in the parser.';
  const r = explainByOcclusion(model, text, { classIndex: 1 });
  assert.equal(r.method, 'leave-one-out');
  assert.equal(r.unit, 'word');
  assert.equal(r.evaluations, r.attributions.length + 1);
  const units = textUnits(text, 12);
  r.attributions.forEach((a, i) => {
    assert.equal(text.slice(a.start, a.end), a.text);
    const keep = new Uint8Array(units.length).fill(1);
    keep[i] = 0;
    const expected = model.predictProba(text)[1]! - model.predictProba(occlude(text, units, keep))[1]!;
    assert.ok(Math.abs(a.value - expected) < 1e-12);
  });
  const byWord = Object.fromEntries(r.attributions.map((a) => [a.text, a.value]));
  assert.ok(Math.abs(byWord.remote! - 0.3) < 1e-12 && Math.abs(byWord.overflow! - 0.3) < 1e-12);
  assert.equal(byWord.parser, 0);
});

test('long texts are split into at most maxUnits phrases; options are checked', () => {
  const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  const r = explainByOcclusion(model, text, { maxUnits: 8 });
  assert.equal(r.unit, 'phrase');
  assert.equal(r.attributions.length, 8);
  assert.equal(r.evaluations, 9);
  assert.throws(() => explainByOcclusion(model, text, { maxUnits: 0 }), /maxUnits/);
  assert.throws(() => explainByOcclusion(model, text, { classIndex: 9 }), /classIndex/);
});
