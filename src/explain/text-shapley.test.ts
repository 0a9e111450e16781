import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError, mulberry32 } from '../core/index.js';
import { explainText, topAttributions } from './text-shapley.js';
import { occlude, words } from './text-units.js';
import type { TextModel } from './vector-model.js';

const CVE =
  'A heap-based buffer overflow in the XML parser of ExampleSoft Gateway before 4.2.1 allows a remote ' +
  'unauthenticated attacker to execute arbitrary code via a crafted SOAP request. Exploitation requires no ' +
  'user interaction; the management interface is exposed by default. Versions 4.0 through 4.2.0 are affected.';

function counting(fn: (text: string) => number[]): TextModel & { calls: number } {
  const m = {
    calls: 0,
    predictProba(text: string) {
      m.calls++;
      return fn(text);
    },
  };
  return m;
}

function softmax(z: number[]): number[] {
  const mx = Math.max(...z);
  const e = z.map((v) => Math.exp(v - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const WEIGHTS: Record<string, number> = {
  remote: 0.3,
  arbitrary: 0.25,
  code: 0.2,
  overflow: 0.15,
  crafted: 0.05,
  no: -0.1,
  default: 0.12,
};

/** Additive in word occurrences: each occurrence of a word adds its weight. */
const additive = (text: string): number[] => {
  const s = 0.1 + words(text).reduce((acc, w) => acc + (WEIGHTS[w.text.toLowerCase()] ?? 0), 0);
  return [s, 1 - s];
};

/** Nonlinear: softmax of logits with an AND interaction and a length term. */
const nonlinear = (text: string): number[] => {
  const ws = new Set(words(text).map((w) => w.text.toLowerCase()));
  const has = (w: string) => (ws.has(w) ? 1 : 0);
  return softmax([
    2 * has('remote') * has('code') + has('overflow') - 0.5 * has('no'),
    has('crafted') + 0.05 * words(text).length,
    has('default') + has('interaction') * has('user'),
  ]);
};

test('an additive word model gets each word its own weight, offsets into the text', () => {
  const model = counting(additive);
  const e = explainText(model, CVE, { maxEvaluations: 256, seed: 1 });
  assert.equal(e.method, 'kernel-shap-words');
  assert.equal(e.unit, 'word');
  assert.equal(e.attributions.length, words(CVE).length);
  for (const a of e.attributions) {
    assert.equal(CVE.slice(a.start, a.end), a.text);
    const expected = WEIGHTS[a.text.toLowerCase()] ?? 0;
    assert.ok(Math.abs(a.value - expected) < 1e-6, `${a.text}: ${a.value} vs ${expected}`);
  }
  assert.ok(Math.abs(e.baseValue - 0.1) < 1e-12);
  assert.ok(model.calls <= 256, `${model.calls} model calls`);
  assert.equal(e.evaluations, model.calls);
  assert.deepEqual(
    topAttributions(e.attributions, 3).map((a) => a.text),
    ['remote', 'arbitrary', 'code'],
  );
});

test('short texts are explained exactly and match brute force over orderings', () => {
  const text = 'Remote code overflow, no crafted default.';
  const e = explainText(counting(nonlinear), text, { classIndex: 0 });
  assert.equal(e.method, 'exact-shapley-words');
  const units = words(text);
  const value = (keep: Uint8Array) => nonlinear(occlude(text, units, keep))[0]!;
  const n = units.length;
  const phi = new Array<number>(n).fill(0);
  let count = 0;
  const perm = Array.from({ length: n }, (_, i) => i);
  const visit = (k: number): void => {
    if (k === n) {
      count++;
      const keep = new Uint8Array(n);
      let prev = value(keep);
      for (const p of perm) {
        keep[p] = 1;
        const next = value(keep);
        phi[p] = phi[p]! + next - prev;
        prev = next;
      }
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  visit(0);
  e.attributions.forEach((a, i) => {
    assert.ok(Math.abs(a.value - phi[i]! / count) < 1e-12, a.text);
  });
  // The AND interaction is shared between its two words.
  const remote = e.attributions.find((a) => a.text === 'Remote')!.value;
  const code = e.attributions.find((a) => a.text === 'code')!.value;
  assert.ok(Math.abs(remote - code) < 1e-12 && remote > 0.05);
});

test('sampled explanations of a nonlinear model add up to the prediction within budget', () => {
  for (const budget of [32, 256, 1024]) {
    const model = counting(nonlinear);
    const e = explainText(model, CVE, { maxEvaluations: budget });
    const total = e.baseValue + e.attributions.reduce((s, a) => s + a.value, 0);
    assert.ok(Math.abs(total - e.prediction) < 1e-9, `budget ${budget}: ${total} vs ${e.prediction}`);
    assert.ok(Math.abs(e.prediction - Math.max(...nonlinear(CVE))) < 1e-12);
    assert.ok(model.calls <= budget, `${model.calls} calls for budget ${budget}`);
  }
  // Against a large-budget reference (8192 calls, another seed): measured max error 0.007-0.011 at 1024.
  const ref = explainText(counting(nonlinear), CVE, { maxEvaluations: 8192, classIndex: 0, seed: 7 });
  const e = explainText(counting(nonlinear), CVE, { maxEvaluations: 1024, classIndex: 0 });
  e.attributions.forEach((a, i) => {
    assert.ok(Math.abs(a.value - ref.attributions[i]!.value) < 0.03, a.text);
  });
  const top = topAttributions(e.attributions, 3).map((a) => a.text);
  assert.deepEqual(new Set(top), new Set(['overflow', 'remote', 'code']));
});

test('long texts are explained by at most maxUnits phrases with their offsets', () => {
  const text = Array.from({ length: 40 }, () => CVE).join('\n');
  const model = counting(additive);
  const e = explainText(model, text, { maxUnits: 32, maxEvaluations: 128 });
  assert.equal(e.unit, 'phrase');
  assert.ok(e.attributions.length <= 32);
  for (const a of e.attributions) assert.equal(text.slice(a.start, a.end), a.text);
  assert.ok(model.calls <= 128);
  const total = e.baseValue + e.attributions.reduce((s, a) => s + a.value, 0);
  assert.ok(Math.abs(total - e.prediction) < 1e-9);
});

test('empty and word-less texts give no attributions; bad options are refused', () => {
  const e = explainText(counting(additive), '');
  assert.deepEqual(e.attributions, []);
  assert.equal(e.baseValue, e.prediction);
  assert.deepEqual(explainText(counting(additive), '!!! ...').attributions, []);
  const bad = (o: object) =>
    assert.throws(
      () => explainText(counting(additive), CVE, o),
      (err: unknown) => isAppError(err, 'CS_ERR_VALIDATION'),
    );
  bad({ maxEvaluations: 2 });
  bad({ maxEvaluations: 1e6 });
  bad({ maxUnits: 0 });
  bad({ classIndex: 7 });
  bad({ seed: 0.5 });
  assert.throws(
    () => explainText({ predictProba: () => [Number.NaN] }, CVE),
    (err: unknown) => isAppError(err, 'CS_ERR_INTERNAL'),
  );
});

test('topAttributions equals a stable sort by |value| then start, cut to k', () => {
  // Random lists with many ties of |value| (and of start), against the full sort.
  const next = mulberry32(7);
  for (let round = 0; round < 200; round++) {
    const n = Math.floor(next() * 40);
    const list = Array.from({ length: n }, (_, i) => ({
      id: i,
      start: Math.floor(next() * 10),
      value: (Math.floor(next() * 7) - 3) / 4,
    }));
    for (const k of [0, 1, 3, 10, n, n + 5]) {
      const expected = [...list]
        .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.start - b.start)
        .slice(0, k)
        .map((a) => a.id);
      assert.deepEqual(
        topAttributions(list, k).map((a) => a.id),
        expected,
        `round ${round}, k ${k}`,
      );
    }
  }
});
