import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../core/index.js';
import { openSqliteStore, type SqliteStore, type StoredLearningJob } from '../../store/index.js';
import { InProcessJobQueue } from './in-process-queue.js';
import { type JobExecutor, JobRunner } from './job-runner.js';
import type { RetrainRequest } from './retrain-request.js';

const request: RetrainRequest = {
  family: 'fam',
  trigger: 'manual',
  requestedBy: 'test',
  payload: { reason: 'test', settings: {} },
};

async function withQueue(
  execute: JobExecutor,
  fn: (q: InProcessJobQueue, store: SqliteStore, finished: StoredLearningJob[]) => Promise<void>,
  runnerOwner = 'me',
) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-queue-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  const finished: StoredLearningJob[] = [];
  const runner = new JobRunner({
    jobs: store.jobs,
    learning: store.learning,
    clock: systemClock,
    owner: runnerOwner,
    execute,
  });
  const queue = new InProcessJobQueue({
    jobs: store.jobs,
    runner,
    clock: systemClock,
    attempts: 3,
    backoffMs: 20,
    busyRetryMs: 30,
    onFinished: (j) => finished.push(j),
  });
  try {
    await fn(queue, store, finished);
  } finally {
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('jobs run one at a time, report progress and record their result; a queued one absorbs new triggers', async () => {
  let running = 0;
  let maxRunning = 0;
  const seen: number[] = [];
  await withQueue(
    async (job, progress) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      progress(0.5, 'half way');
      await sleep(30);
      running--;
      seen.push(job.createdAt);
      return { summary: `done ${job.trigger}` };
    },
    async (queue, store, finished) => {
      const a = await queue.enqueue(request);
      assert.equal(a.created, true);
      // A trigger while it is still queued joins it.
      assert.equal((await queue.enqueue({ ...request, trigger: 'schedule' })).job.id, a.job.id);
      while ((await store.jobs.get(a.job.id))?.status !== 'running') await sleep(2);
      // Once it runs, the next trigger queues a second job, and a third trigger joins that one.
      const b = await queue.enqueue({ ...request, trigger: 'feedback' });
      const c = await queue.enqueue({ ...request, trigger: 'drift' });
      assert.equal(b.created, true);
      assert.equal(c.created, false);
      assert.equal(c.job.id, b.job.id);
      while (finished.length < 2) await sleep(10);
      await queue.idle();
      assert.equal(maxRunning, 1);
      const first = await store.jobs.get(a.job.id);
      assert.equal(first?.status, 'succeeded');
      assert.equal(first?.progress, 1);
      assert.equal(first?.message, 'done manual');
      assert.deepEqual(first?.result, { summary: 'done manual' });
      assert.equal(first?.attempts, 1);
    },
  );
});

test('a failing job is retried with back-off, then fails for good with its error', async () => {
  let calls = 0;
  await withQueue(
    async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    },
    async (queue, store, finished) => {
      const { job } = await queue.enqueue(request);
      while (finished.length === 0) await sleep(10);
      const failed = await store.jobs.get(job.id);
      assert.equal(calls, 3);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.attempts, 3);
      assert.equal(failed?.error, 'boom 3');
      assert.ok(failed?.finishedAt !== null);
    },
  );
});

test('while another process holds the family lease the job waits, then runs', async () => {
  let ran = 0;
  await withQueue(
    async () => {
      ran++;
      return { summary: 'ok' };
    },
    async (queue, store, finished) => {
      assert.equal(await store.learning.tryLock(JobRunner.lease('fam'), 'other', Date.now(), 60_000), true);
      const { job } = await queue.enqueue(request);
      await sleep(100);
      assert.equal(ran, 0);
      assert.equal((await store.jobs.get(job.id))?.status, 'queued');
      await store.learning.releaseLock(JobRunner.lease('fam'), 'other');
      while (finished.length === 0) await sleep(10);
      assert.equal(ran, 1);
      assert.equal((await store.jobs.get(job.id))?.attempts, 1);
    },
  );
});

test('recover picks up jobs left queued by a previous process', async () => {
  await withQueue(
    async () => ({ summary: 'recovered' }),
    async (queue, store, finished) => {
      await store.jobs.createUnlessQueued({
        id: 'left',
        kind: 'retrain',
        family: 'fam',
        trigger: 'manual',
        requestedBy: null,
        payload: { reason: 'x', settings: {} },
        createdAt: 1,
      });
      await queue.recover();
      while (finished.length === 0) await sleep(10);
      assert.equal((await store.jobs.get('left'))?.status, 'succeeded');
    },
  );
});
