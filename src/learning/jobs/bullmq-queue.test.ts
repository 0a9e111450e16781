import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisTestClient, TEST_REDIS_URL } from '../../../test/helpers/redis.js';
import { systemClock } from '../../core/index.js';
import { openSqliteStore, type StoredLearningJob } from '../../store/index.js';
import { BullMqJobQueue, startBullMqWorker } from './bullmq-queue.js';
import { JobRunner } from './job-runner.js';

test('BullMQ: a queued job is run by the worker with retries and back-off; the store record follows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bull-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  const redis = await redisTestClient();
  const settings = { url: TEST_REDIS_URL, prefix: redis.prefix, attempts: 3, backoffMs: 50 };
  let calls = 0;
  const progress: number[] = [];
  const runner = new JobRunner({
    jobs: store.jobs,
    learning: store.learning,
    clock: systemClock,
    owner: 'bull-test',
    execute: async (_job, report) => {
      calls++;
      report(0.5, 'half');
      if (calls === 1) throw new Error('first attempt fails');
      return { summary: 'trained' };
    },
  });
  const finished: StoredLearningJob[] = [];
  const worker = await startBullMqWorker({
    settings,
    jobs: store.jobs,
    runner,
    onFinished: (j) => finished.push(j),
  });
  const queue = new BullMqJobQueue(settings, store.jobs, systemClock);
  try {
    const { job, created } = await queue.enqueue({
      family: 'fam',
      trigger: 'manual',
      requestedBy: 'test',
      payload: { reason: 'bull', settings: {} },
    });
    assert.equal(created, true);
    worker.worker.on('progress', (_j, p) => progress.push(Number(p)));
    const until = Date.now() + 20_000;
    while (finished.length === 0 && Date.now() < until) await sleep(20);
    const done = await store.jobs.get(job.id);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.attempts, 2);
    assert.equal(done?.message, 'trained');
    assert.equal(calls, 2);
    assert.ok(progress.includes(50));
    const keys = await redis.redis.keys(`${redis.prefix}bull:cyberstreams-learning:*`);
    assert.ok(keys.length > 0, 'BullMQ keys live under the configured prefix');
  } finally {
    await queue.close();
    await worker.close();
    await redis.dispose();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
