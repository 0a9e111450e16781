import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import { estimateShapley } from './kernel-shap.js';
import { seededUniform } from './prng.js';
import { shapleyFromCoalitionValues } from './shapley-weights.js';

/** A game given as a function of the member list. */
type Game = (members: Uint8Array) => number;

function valueFn(game: Game) {
  let calls = 0;
  let masks = 0;
  const fn = (ms: readonly Uint8Array[]): number[] => {
    calls++;
    masks += ms.length;
    return ms.map(game);
  };
  return { fn, stats: () => ({ calls, masks }) };
}

/** Exact values through the coalition enumeration (independent of the sampler). */
function exact(players: number, game: Game): Float64Array {
  const values = new Float64Array(2 ** players);
  for (let bits = 0; bits < values.length; bits++) {
    const m = new Uint8Array(players);
    for (let i = 0; i < players; i++) m[i] = (bits >>> i) & 1;
    values[bits] = game(m);
  }
  return shapleyFromCoalitionValues(players, values);
}

/** Shapley values by definition, averaging marginal contributions over every ordering (small games only). */
function byOrderings(players: number, game: Game): number[] {
  const phi = new Array<number>(players).fill(0);
  let count = 0;
  const perm = Array.from({ length: players }, (_, i) => i);
  const visit = (k: number): void => {
    if (k === players) {
      count++;
      const m = new Uint8Array(players);
      let prev = game(m);
      for (const p of perm) {
        m[p] = 1;
        const next = game(m);
        phi[p] = phi[p]! + next - prev;
        prev = next;
      }
      return;
    }
    for (let i = k; i < players; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  visit(0);
  return phi.map((v) => v / count);
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

// A nonlinear game with pairwise and higher-order interactions.
function nonlinearGame(players: number, seed: number): Game {
  const rand = seededUniform(seed);
  const a = Array.from({ length: players }, () => rand() * 2 - 1);
  const pairs = Array.from(
    { length: players },
    () => [Math.floor(rand() * players), Math.floor(rand() * players)] as const,
  );
  return (m) => {
    let z = 0;
    for (let i = 0; i < players; i++) z += a[i]! * m[i]!;
    for (const [i, j] of pairs) z += 0.7 * m[i]! * m[j]!;
    return 1 / (1 + Math.exp(-z));
  };
}

test('the coalition formula agrees with the definition over orderings', () => {
  const game = nonlinearGame(6, 1);
  const a = exact(6, game);
  const b = byOrderings(6, game);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-12);
});

test('small games are computed exactly when every coalition fits the budget', () => {
  const game = nonlinearGame(7, 2);
  const v = valueFn(game);
  const est = estimateShapley(7, v.fn, { maxEvaluations: 128, seed: 1 });
  assert.equal(est.exact, true);
  assert.equal(est.evaluations, 128);
  const ref = byOrderings(7, game);
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(est.values[i]! - ref[i]!) < 1e-12);
});

test('KernelSHAP recovers an additive game exactly and stays within budget', () => {
  const rand = seededUniform(9);
  const a = Array.from({ length: 40 }, () => rand() * 2 - 1);
  const game: Game = (m) => 0.3 + a.reduce((s, w, i) => s + w * m[i]!, 0);
  const v = valueFn(game);
  const est = estimateShapley(40, v.fn, { maxEvaluations: 200, seed: 3 });
  assert.equal(est.exact, false);
  assert.ok(est.evaluations <= 200);
  assert.ok(v.stats().masks <= 200, `${v.stats().masks} coalitions evaluated`);
  for (let i = 0; i < 40; i++) assert.ok(Math.abs(est.values[i]! - a[i]!) < 1e-6, `player ${i}`);
  assert.ok(Math.abs(est.baseValue - 0.3) < 1e-12);
});

test('KernelSHAP on a nonlinear game adds up exactly and approaches the exact values', () => {
  const players = 12;
  const game = nonlinearGame(players, 4);
  const ref = exact(players, game);
  const refScale = Math.max(...Array.from(ref, Math.abs));
  const errors: number[] = [];
  for (const budget of [64, 512, 2048]) {
    const est = estimateShapley(players, valueFn(game).fn, { maxEvaluations: budget, seed: 5 });
    assert.equal(est.exact, false);
    assert.ok(est.evaluations <= budget);
    // Efficiency holds whatever the budget.
    assert.ok(Math.abs(est.baseValue + sum(est.values) - est.fullValue) < 1e-9);
    let maxErr = 0;
    for (let i = 0; i < players; i++) maxErr = Math.max(maxErr, Math.abs(est.values[i]! - ref[i]!));
    errors.push(maxErr / refScale);
  }
  // Measured with this seed: the largest error shrinks with the budget; at 2048 of 4096 coalitions it is small.
  assert.ok(errors[2]! < 0.05, `relative error at 2048: ${errors[2]}`);
  assert.ok(errors[2]! < errors[0]!, `errors ${errors.join(', ')}`);
});

test('the same seed gives the same values', () => {
  const game = nonlinearGame(30, 6);
  const a = estimateShapley(30, valueFn(game).fn, { maxEvaluations: 256, seed: 1 });
  const b = estimateShapley(30, valueFn(game).fn, { maxEvaluations: 256, seed: 1 });
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
});

test('degenerate games and bad options', () => {
  const zero = estimateShapley(0, (ms) => ms.map(() => 0.25), { maxEvaluations: 8, seed: 1 });
  assert.equal(zero.values.length, 0);
  assert.equal(zero.baseValue, 0.25);
  const one = estimateShapley(1, (ms) => ms.map((m) => 0.2 + 0.5 * m[0]!), { maxEvaluations: 8, seed: 1 });
  assert.ok(Math.abs(one.values[0]! - 0.5) < 1e-12);
  assert.throws(
    () => estimateShapley(3, (ms) => ms.map(() => 0), { maxEvaluations: 4, seed: 1 }),
    (e: unknown) => isAppError(e, 'CS_ERR_VALIDATION'),
  );
  assert.throws(
    () => estimateShapley(30, (ms) => ms.map(() => Number.NaN), { maxEvaluations: 64, seed: 1 }),
    (e: unknown) => isAppError(e, 'CS_ERR_INTERNAL'),
  );
  assert.throws(
    () => estimateShapley(30, () => [1], { maxEvaluations: 64, seed: 1 }),
    (e: unknown) => isAppError(e, 'CS_ERR_INTERNAL'),
  );
});
