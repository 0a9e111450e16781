import assert from 'node:assert/strict';
import { test } from 'node:test';
import { levelOf, quantileTable } from './quantiles.js';

test('quantile tables interpolate order statistics like numpy (type 7)', () => {
  assert.deepEqual(quantileTable([3, 1, 2, 4], 5), [1, 1.75, 2.5, 3.25, 4]);
  assert.deepEqual(quantileTable([5], 3), [5, 5, 5]);
  assert.throws(() => quantileTable([], 3), RangeError);
  assert.throws(() => quantileTable([1], 1), RangeError);
});

test('levelOf inverts the table, clamps to [0, 1] and handles ties', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i / 10);
  const table = quantileTable(values, 101);
  assert.equal(levelOf(table, -5), 0);
  assert.equal(levelOf(table, 1e9), 1);
  assert.equal(levelOf(table, Number.NaN), 1);
  for (const q of [0.1, 0.25, 0.5, 0.9]) {
    const v = values[Math.round(q * 999)]!;
    assert.ok(Math.abs(levelOf(table, v) - q) < 0.002, `level of the ${q} quantile`);
  }
  const tied = [0, 1, 1, 1, 2];
  assert.equal(levelOf(tied, 1), 0.75);
  assert.equal(levelOf(tied, 1.5), 0.875);
  // Monotone.
  let prev = -1;
  for (let v = -1; v < 101; v += 0.37) {
    const l = levelOf(table, v);
    assert.ok(l >= prev);
    prev = l;
  }
});
