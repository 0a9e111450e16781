import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, microF1At, tuneGlobalThreshold, tunePerTechniqueThresholds } from './thresholds.js';

test('decide keeps scores at or above the threshold, best first, capped', () => {
  assert.deepEqual(decide([0.2, 0.7, 0.5], [0.5, 0.5, 0.5], 3), [1, 2]);
  assert.deepEqual(decide([0.2, 0.7, 0.5], [0.5, 0.5, 0.5], 1), [1]);
  assert.deepEqual(decide([0.2, 0.7, 0.5], [0.1, 0.9, 0.5], 3), [2, 0]);
  assert.deepEqual(decide([0.1, 0.1], [0.5, 0.5], 3), []);
});

test('the global threshold separates positives from negatives', () => {
  // Technique 0 scores 0.6+ where it is right, 0.3 where the sentence names none.
  const rows = {
    scores: [
      [0.6, 0.1],
      [0.7, 0.1],
      [0.3, 0.1],
      [0.3, 0.05],
      [0.1, 0.8],
    ],
    labels: [[0], [0], [], [], [1]],
  };
  const best = tuneGlobalThreshold(rows, 2, 3);
  assert.ok(best.threshold > 0.3 && best.threshold <= 0.6, `threshold ${best.threshold}`);
  assert.equal(best.microF1, 1);
  assert.ok(microF1At(rows, [0.2, 0.2], 3) < 1);
});

test('per-technique thresholds move only techniques with enough support', () => {
  // Technique 0 needs a high threshold (negatives at 0.5), technique 1 a low one (positives at 0.2).
  const scores: number[][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < 10; i++) {
    scores.push([0.8, 0]);
    labels.push([0]);
    scores.push([0.5, 0]);
    labels.push([]);
    scores.push([0, 0.2]);
    labels.push([1]);
  }
  const rows = { scores, labels };
  const t = tunePerTechniqueThresholds(rows, 0.4, 2, 5);
  assert.ok((t[0] as number) > 0.5 && (t[0] as number) <= 0.8, `t0 ${t[0]}`);
  assert.ok((t[1] as number) <= 0.2, `t1 ${t[1]}`);
  assert.equal(microF1At(rows, t, 3), 1);
  // Too little support: both stay at the start.
  assert.deepEqual(Array.from(tunePerTechniqueThresholds(rows, 0.4, 2, 100)), [0.4, 0.4]);
});
