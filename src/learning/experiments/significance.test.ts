import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logGamma, mcnemarExact, normalUpperTail, twoProportionZ } from './significance.js';

test('logGamma matches factorials', () => {
  assert.ok(Math.abs(logGamma(1)) < 1e-12);
  assert.ok(Math.abs(logGamma(6) - Math.log(120)) < 1e-12);
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-12);
});

test('normal tail at known quantiles', () => {
  assert.ok(Math.abs(normalUpperTail(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-6);
  assert.ok(Math.abs(normalUpperTail(-1.644854) - 0.95) < 1e-6);
});

test('McNemar exact p-values agree with the binomial by hand', () => {
  // b=1, c=9: 2 * (C(10,0)+C(10,1)) / 2^10 = 2 * 11 / 1024
  assert.ok(Math.abs(mcnemarExact(1, 9).pValue - 22 / 1024) < 1e-12);
  assert.ok(Math.abs(mcnemarExact(9, 1).pValue - 22 / 1024) < 1e-12);
  assert.equal(mcnemarExact(5, 5).pValue, 1);
  assert.equal(mcnemarExact(0, 0).pValue, 1);
  // Large counts stay finite and tiny for a lopsided split.
  const big = mcnemarExact(3_000, 2_000).pValue;
  assert.ok(big > 0 && big < 1e-40);
  assert.throws(() => mcnemarExact(-1, 2), RangeError);
});

test('two-proportion z-test', () => {
  // 60/100 vs 45/100: z = 0.15 / sqrt(0.525*0.475*0.02) = 2.1249
  const r = twoProportionZ(60, 100, 45, 100);
  assert.ok(Math.abs(r.z - 2.1249) < 1e-3);
  assert.ok(Math.abs(r.pValue - 0.0336) < 1e-3);
  assert.deepEqual(twoProportionZ(0, 0, 3, 4), { z: 0, pValue: 1 });
  assert.deepEqual(twoProportionZ(5, 5, 4, 4), { z: 0, pValue: 1 });
});
