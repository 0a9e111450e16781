import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import { explainFamilies, FEATURE_FAMILY_GROUPS, type SlotGroup } from './family-shapley.js';
import { seededUniform } from './prng.js';
import type { VectorModel } from './vector-model.js';

const DIM = 128;

function randomVector(rand: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: DIM }, () => (rand() * 2 - 1) * scale);
}

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** A vector model from a per-vector function, counting calls. */
function model(f: (v: Float32Array) => number[]): VectorModel & { calls: number; vectors: number } {
  const m = {
    calls: 0,
    vectors: 0,
    predictVectors(vs: readonly Float32Array[]) {
      m.calls++;
      m.vectors += vs.length;
      return vs.map(f);
    },
  };
  return m;
}

/** Shapley values by definition: average marginal contribution over all orderings of the groups. */
function bruteForce(
  f: (v: Float32Array) => number[],
  x: Float32Array,
  background: readonly Float32Array[],
  groups: readonly SlotGroup[],
  c: number,
): number[] {
  const owned = new Set(
    groups.flatMap((g) => Array.from({ length: g.end - g.start }, (_, k) => g.start + k)),
  );
  // v(S) by definition, memoised by coalition (the orderings below revisit each coalition many times).
  const memo = new Map<string, number>();
  const value = (inS: boolean[]): number => {
    const key = inS.map((b) => (b ? '1' : '0')).join('');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let sum = 0;
    for (const b of background) {
      const v = Float32Array.from(b);
      groups.forEach((g, i) => {
        if (inS[i]) v.set(x.subarray(g.start, g.end), g.start);
      });
      // Slots outside every group keep x's values.
      for (let s = 0; s < DIM; s++) if (!owned.has(s)) v[s] = x[s]!;
      sum += f(v)[c]!;
    }
    memo.set(key, sum / background.length);
    return sum / background.length;
  };
  const n = groups.length;
  const phi = new Array<number>(n).fill(0);
  let orderings = 0;
  const perm = Array.from({ length: n }, (_, i) => i);
  const visit = (k: number): void => {
    if (k === n) {
      orderings++;
      const inS = new Array<boolean>(n).fill(false);
      let prev = value(inS);
      for (const p of perm) {
        inS[p] = true;
        const next = value(inS);
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
  return phi.map((v) => v / orderings);
}

test('a linear model gets each family its weighted difference from the background mean', () => {
  const rand = seededUniform(7);
  const w = randomVector(rand);
  const x = randomVector(rand, 3);
  const background = [randomVector(rand), randomVector(rand), randomVector(rand)];
  const lin = (v: Float32Array): number[] => {
    let s = 0;
    for (let i = 0; i < DIM; i++) s += w[i]! * v[i]!;
    return [s, -s];
  };
  const m = model(lin);
  const e = explainFamilies(m, x, background, { classIndex: 0 });
  assert.equal(m.calls, 1, 'all coalitions in one batch');
  assert.equal(m.vectors, 256 * 3);
  assert.equal(e.evaluations, 256 * 3);
  assert.equal(e.attributions.length, 8);
  for (const a of e.attributions) {
    let expected = 0;
    for (let k = a.start; k < a.end; k++) {
      const mean = background.reduce((acc, b) => acc + b[k]!, 0) / background.length;
      expected += w[k]! * (x[k]! - mean);
    }
    assert.ok(Math.abs(a.value - expected) < 1e-9, `${a.name}: ${a.value} vs ${expected}`);
  }
  assert.ok(Math.abs(e.baseValue + e.attributions.reduce((s, a) => s + a.value, 0) - e.prediction) < 1e-9);
  assert.ok(Math.abs(e.prediction - lin(x)[0]!) < 1e-9);
});

test('a nonlinear softmax model matches brute force over all orderings and adds up', () => {
  const rand = seededUniform(11);
  // Interactions inside and across families (products, tanh, squares), three classes.
  const f = (v: Float32Array): number[] =>
    softmax([
      v[0]! * v[60]! + Math.tanh(v[70]! + v[120]!),
      v[100]! * v[100]! - v[90]! * v[55]! + 0.5 * v[76]!,
      Math.sin(v[3]! + v[85]!) + v[51]! * v[66]! * v[99]!,
    ]);
  const x = randomVector(rand, 2);
  const background = [randomVector(rand), randomVector(rand)];
  const e = explainFamilies(model(f), x, background);
  const expectedClass = f(x).indexOf(Math.max(...f(x)));
  assert.equal(e.classIndex, expectedClass, 'defaults to the most probable class');
  const brute = bruteForce(f, x, background, FEATURE_FAMILY_GROUPS, e.classIndex);
  e.attributions.forEach((a, i) => {
    assert.ok(Math.abs(a.value - brute[i]!) < 1e-9, `${a.name}: ${a.value} vs ${brute[i]}`);
  });
  const sum = e.attributions.reduce((s, a) => s + a.value, 0);
  assert.ok(Math.abs(e.baseValue + sum - e.prediction) < 1e-9);
  assert.ok(Math.abs(e.prediction - f(x)[e.classIndex]!) < 1e-12);
  // Not a trivially zero explanation: the chosen functions do depend on several families.
  assert.ok(e.attributions.filter((a) => Math.abs(a.value) > 1e-4).length >= 4);
});

test('custom groups leave unowned slots at the explained vector and match brute force', () => {
  const rand = seededUniform(3);
  const groups: SlotGroup[] = [
    { name: 'a', start: 0, end: 10 },
    { name: 'b', start: 20, end: 30 },
    { name: 'c', start: 100, end: 128 },
  ];
  const f = (v: Float32Array): number[] => [Math.exp(v[5]! * v[25]!) + v[15]! * v[110]!];
  const x = randomVector(rand);
  const background = [randomVector(rand)];
  const e = explainFamilies(model(f), x, background, { groups });
  assert.equal(e.evaluations, 8);
  const brute = bruteForce(f, x, background, groups, 0);
  e.attributions.forEach((a, i) => {
    assert.ok(Math.abs(a.value - brute[i]!) < 1e-9);
  });
});

test('bad inputs and a misbehaving model are refused with stable codes', () => {
  const rand = seededUniform(5);
  const x = randomVector(rand);
  const ok = model(() => [0.5, 0.5]);
  const code = (fn: () => unknown, c: 'CS_ERR_VALIDATION' | 'CS_ERR_INTERNAL') =>
    assert.throws(fn, (err: unknown) => isAppError(err, c));
  code(() => explainFamilies(ok, x, []), 'CS_ERR_VALIDATION');
  code(() => explainFamilies(ok, x, [new Float32Array(127)]), 'CS_ERR_VALIDATION');
  code(() => explainFamilies(ok, x, [x], { classIndex: 2 }), 'CS_ERR_VALIDATION');
  code(
    () =>
      explainFamilies(ok, x, [x], {
        groups: [
          { name: 'a', start: 0, end: 10 },
          { name: 'b', start: 5, end: 12 },
        ],
      }),
    'CS_ERR_VALIDATION',
  );
  code(
    () => explainFamilies(ok, x, [x], { groups: [{ name: 'a', start: 0, end: 129 }] }),
    'CS_ERR_VALIDATION',
  );
  code(() => explainFamilies({ predictVectors: () => [[1, 0]] }, x, [x]), 'CS_ERR_INTERNAL');
  code(
    () =>
      explainFamilies(
        model(() => [Number.NaN, 1]),
        x,
        [x],
      ),
    'CS_ERR_INTERNAL',
  );
});
