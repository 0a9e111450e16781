import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../../core/index.js';
import { type NewPrediction, openSqliteStore } from '../../store/index.js';
import { ReputationLearner } from './reputation-learner.js';

function prediction(id: string, source: string | null, severity: string): NewPrediction {
  return {
    id,
    createdAt: 1,
    itemId: null,
    apiKeyId: null,
    modelFamily: 'fam',
    modelVersion: 'v1',
    severity,
    probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
    confidence: 0.2,
    anomalyScore: null,
    text: `text ${id}`,
    textSha256: id.padEnd(64, '0'),
    source,
    published: null,
    latencyMs: 1,
    cached: false,
    details: {},
  };
}

test('corrected sources lose reputation down to the floor; confirmed ones gain; each item counts once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-rep-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  try {
    const preds = [];
    for (let i = 0; i < 60; i++) preds.push(prediction(`bad${i}`, 'Noisy CNA', 'high'));
    for (let i = 0; i < 10; i++) preds.push(prediction(`good${i}`, 'careful', 'low'));
    preds.push(prediction('nosrc', null, 'high'));
    await store.predictions.insert(preds);
    let t = 10;
    for (const p of preds) {
      await store.feedback.insert({
        id: `f-${p.id}`,
        createdAt: t++,
        predictionId: p.id.startsWith('good') ? null : p.id, // the good ones are linked by text
        text: p.text,
        textSha256: p.textSha256,
        correctLabel: p.id.startsWith('bad') || p.id === 'nosrc' ? 'critical' : 'low',
        techniques: null,
        comment: null,
        analyst: 'ana',
        apiKeyId: null,
        modelFamily: 'fam',
        modelVersion: 'v1',
        predictedSeverity: p.severity,
      });
    }
    const make = () =>
      new ReputationLearner({
        feedback: store.feedback,
        predictions: store.predictions,
        learning: store.learning,
        clock: fixedClock(1_000),
        rate: 0.05,
        floor: 0.1,
        batchSize: 25,
      });
    const learner = make();
    assert.equal(await learner.catchUp(), 70);
    assert.equal(await make().catchUp(), 0); // a second learner (another replica) finds nothing new
    const priors = await learner.priors();
    const noisy = priors.get('noisy cna')!;
    const careful = priors.get('careful')!;
    // 60 corrections from 0.5: 0.1 + 0.4 * 0.95^60
    assert.ok(Math.abs(noisy.reputation - (0.1 + 0.4 * 0.95 ** 60)) < 1e-9);
    assert.equal(noisy.observations, 60);
    assert.ok(Math.abs(careful.reputation - (1 - 0.5 * 0.95 ** 10)) < 1e-9);
    assert.equal(priors.size, 2);
    const stored = await store.learning.reputations(['noisy cna']);
    assert.equal(stored[0]?.corrected, 60);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the latest feedback per prediction counts once: a repeat changes nothing, a reversal swaps the step', async () => {
  // Per batch size: everything in one step, and one item per step (earlier items then come from the store).
  for (const batchSize of [500, 1]) {
    const dir = mkdtempSync(join(tmpdir(), 'cs-rep-'));
    const store = openSqliteStore({ path: join(dir, 's.sqlite') });
    try {
      await store.predictions.insert([
        prediction('p1', 'vendor-report', 'high'),
        prediction('p2', 'vendor-report', 'low'),
        prediction('q1', 'other', 'high'),
      ]);
      let t = 10;
      const answer = async (predictionId: string, correctLabel: string) =>
        store.feedback.insert({
          id: `f${t}`,
          createdAt: t++,
          predictionId,
          text: `text ${predictionId}`,
          textSha256: predictionId.padEnd(64, '0'),
          correctLabel,
          techniques: null,
          comment: null,
          analyst: 'ana',
          apiKeyId: null,
          modelFamily: 'fam',
          modelVersion: 'v1',
          predictedSeverity: predictionId === 'p2' ? 'low' : 'high',
        });
      await answer('p1', 'high'); // confirmed ...
      await answer('p1', 'critical'); // ... then corrected: p1 counts as one correction
      await answer('p2', 'medium'); // corrected ...
      await answer('p2', 'medium'); // ... the same again: still one correction
      await answer('q1', 'high'); // confirmed ...
      await answer('q1', 'critical'); // ... corrected ...
      await answer('q1', 'high'); // ... and confirmed again: one confirmation
      const learner = new ReputationLearner({
        feedback: store.feedback,
        predictions: store.predictions,
        learning: store.learning,
        clock: fixedClock(1_000),
        rate: 0.05,
        floor: 0.1,
        batchSize,
      });
      await learner.catchUp();
      const [vendor] = await store.learning.reputations(['vendor-report']);
      assert.equal(vendor?.observations, 2, `batch ${batchSize}`);
      assert.equal(vendor?.corrected, 2, `batch ${batchSize}`);
      // Two corrections from 0.5, the same as if only the latest verdicts had been given.
      assert.ok(Math.abs(vendor!.reputation - (0.1 + 0.4 * 0.95 ** 2)) < 1e-12, String(vendor!.reputation));
      const [other] = await store.learning.reputations(['other']);
      assert.equal(other?.observations, 1);
      assert.equal(other?.corrected, 0);
      assert.ok(Math.abs(other!.reputation - (1 - 0.5 * 0.95)) < 1e-12, String(other!.reputation));
      assert.equal((await store.feedback.listAfter(null, 100)).length, 7, 'every item is kept');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
