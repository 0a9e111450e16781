import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type NewPrediction, openSqliteStore } from '../../store/index.js';
import { ReviewQueue } from './review-queue.js';
import { margin, normalisedEntropy } from './uncertainty.js';

function prediction(id: string, createdAt: number, probabilities: number[], sha: string): NewPrediction {
  return {
    id,
    createdAt,
    itemId: null,
    apiKeyId: null,
    modelFamily: 'fam',
    modelVersion: 'v1',
    severity: 'high',
    probabilities,
    confidence: Math.max(...probabilities),
    anomalyScore: null,
    text: `text ${sha}`.repeat(id === 'long' ? 500 : 1),
    textSha256: sha.repeat(64),
    source: null,
    published: null,
    latencyMs: 1,
    cached: false,
    details: {},
  };
}

test('margin and entropy', () => {
  assert.ok(Math.abs(margin([0.5, 0.3, 0.1, 0.05, 0.05]) - 0.2) < 1e-12);
  assert.equal(margin([0.2, 0.2, 0.2, 0.2, 0.2]), 0);
  assert.ok(Math.abs(normalisedEntropy([0.2, 0.2, 0.2, 0.2, 0.2]) - 1) < 1e-12);
  assert.equal(normalisedEntropy([1, 0, 0, 0, 0]), 0);
});

test('the queue ranks unanswered predictions by uncertainty, one per text, and answered ones leave it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-review-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  try {
    await store.predictions.insert([
      prediction('sure', 1, [0.9, 0.05, 0.03, 0.01, 0.01], 'a'),
      prediction('torn', 2, [0.41, 0.39, 0.1, 0.05, 0.05], 'b'),
      prediction('flat', 3, [0.3, 0.25, 0.2, 0.15, 0.1], 'c'),
      prediction('torn-again', 4, [0.45, 0.35, 0.1, 0.05, 0.05], 'b'),
      prediction('long', 5, [0.6, 0.3, 0.05, 0.03, 0.02], 'd'),
    ]);
    const queue = new ReviewQueue(store.review, 100, 50);
    const byMargin = await queue.list({ limit: 10, ranking: 'margin' });
    assert.deepEqual(
      byMargin.map((i) => i.predictionId),
      ['flat', 'torn-again', 'long', 'sure'],
    );
    assert.equal(byMargin[0]?.probabilities.critical, 0.3);
    const long = byMargin.find((i) => i.predictionId === 'long')!;
    assert.equal(long.truncated, true);
    assert.equal(long.text.length, 50);
    const byEntropy = await queue.list({ limit: 1, ranking: 'entropy' });
    assert.deepEqual(
      byEntropy.map((i) => i.predictionId),
      ['flat'],
    );
    await store.feedback.insert({
      id: 'f1',
      createdAt: 6,
      predictionId: 'flat',
      text: 'text c',
      textSha256: 'c'.repeat(64),
      correctLabel: 'low',
      techniques: null,
      comment: null,
      analyst: 'ana',
      apiKeyId: null,
      modelFamily: 'fam',
      modelVersion: 'v1',
      predictedSeverity: 'high',
    });
    assert.equal((await queue.list({ limit: 1, ranking: 'margin' }))[0]?.predictionId, 'torn-again');
    assert.deepEqual(await queue.list({ limit: 5, ranking: 'margin', family: 'other' }), []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
