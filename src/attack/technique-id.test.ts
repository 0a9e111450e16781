import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignAllToDepth, alignToDepth, isTechniqueId, parentTechnique } from './technique-id.js';

test('technique ids and parents', () => {
  assert.ok(isTechniqueId('T1059'));
  assert.ok(isTechniqueId('T1059.001'));
  assert.ok(!isTechniqueId('T105'));
  assert.ok(!isTechniqueId('t1059'));
  assert.ok(!isTechniqueId('T1059.1'));
  assert.equal(parentTechnique('T1059.001'), 'T1059');
  assert.equal(parentTechnique('T1059'), 'T1059');
});

test('a predicted sub-technique matches a parent the example names', () => {
  const vocab = new Set(['T1059', 'T1059.003']);
  assert.equal(alignToDepth('T1059.001', new Set(['T1059']), vocab), 'T1059');
  // The example names the sub-technique itself: no change.
  assert.equal(alignToDepth('T1059.003', new Set(['T1059.003']), vocab), 'T1059.003');
});

test('a predicted parent never matches a gold sub-technique', () => {
  const vocab = new Set(['T1059.003']);
  assert.equal(alignToDepth('T1059', new Set(['T1059.003']), vocab), 'T1059');
});

test('a sub-technique the data never names counts as its parent where the data names the parent', () => {
  const vocab = new Set(['T1027', 'T1105']);
  assert.equal(alignToDepth('T1027.002', new Set(['T1105']), vocab), 'T1027');
  // The data names the sub-technique elsewhere: it stays a sub-technique false positive.
  assert.equal(alignToDepth('T1027.002', new Set(['T1105']), new Set(['T1027', 'T1027.002'])), 'T1027.002');
  // Neither named: unchanged.
  assert.equal(alignToDepth('T1574.002', new Set(['T1105']), vocab), 'T1574.002');
  assert.deepEqual([...alignAllToDepth(['T1027.002', 'T1027.009'], new Set(['T1027']), vocab)], ['T1027']);
});
