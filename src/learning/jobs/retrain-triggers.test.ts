import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Clock } from '../../core/index.js';
import { openSqliteStore } from '../../store/index.js';
import type { RetrainRequest } from './retrain-request.js';
import { RetrainTriggers } from './retrain-triggers.js';

test('feedback count, schedule and drift triggers queue once across replicas', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-triggers-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  let now = 1_000_000;
  const clock: Clock = { now: () => now };
  const queued: RetrainRequest[] = [];
  const queue = {
    enqueue: async (r: RetrainRequest) => {
      queued.push(r);
      return { job: { id: `j${queued.length}` } as never, created: true };
    },
  };
  const replica = (owner: string) =>
    new RetrainTriggers({
      family: 'fam',
      queue,
      feedback: store.feedback,
      learning: store.learning,
      clock,
      owner,
      everyFeedback: 10,
      scheduleMinutes: 60,
      driftCooldownMs: 3_600_000,
    });
  const [a, b] = [replica('a'), replica('b')];
  try {
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await store.feedback.insert({
          id: `f${now}-${i}`,
          createdAt: now++,
          predictionId: null,
          text: 't',
          textSha256: 'x'.repeat(64),
          correctLabel: 'low',
          techniques: null,
          comment: null,
          analyst: null,
          apiKeyId: null,
          modelFamily: null,
          modelVersion: null,
          predictedSeverity: null,
        });
      }
    };
    await add(9);
    await Promise.all([a.checkFeedback(), b.checkFeedback()]);
    assert.equal(queued.length, 0);
    await add(1);
    await Promise.all([a.checkFeedback(), b.checkFeedback()]);
    assert.deepEqual(
      queued.map((q) => q.trigger),
      ['feedback'],
    );
    await add(25);
    await a.checkFeedback();
    await b.checkFeedback();
    await a.checkFeedback();
    // 35 items: three batches of ten, the last five wait for more.
    assert.equal(queued.filter((q) => q.trigger === 'feedback').length, 3);

    await Promise.all([a.scheduled(), b.scheduled()]);
    assert.equal(queued.filter((q) => q.trigger === 'schedule').length, 1);
    now += 60 * 60_000;
    await b.scheduled();
    assert.equal(queued.filter((q) => q.trigger === 'schedule').length, 2);

    await Promise.all([a.drift('alarm'), b.drift('alarm'), a.drift('alarm')]);
    assert.equal(queued.filter((q) => q.trigger === 'drift').length, 1);
    now += 3_600_001;
    await b.drift('again');
    const drifts = queued.filter((q) => q.trigger === 'drift');
    assert.equal(drifts.length, 2);
    assert.equal(drifts[1]?.payload.reason, 'again');
  } finally {
    a.stop();
    b.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
