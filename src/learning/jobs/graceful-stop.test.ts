import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { postgresTestSchema } from '../../../test/helpers/postgres.js';
import { redisTestClient, TEST_REDIS_URL } from '../../../test/helpers/redis.js';
import { systemClock } from '../../core/index.js';
import { openPostgresStore, openSqliteStore, type Store, type StoredLearningJob } from '../../store/index.js';
import { BullMqJobQueue, LEARNING_QUEUE, startBullMqWorker } from './bullmq-queue.js';
import { InProcessJobQueue } from './in-process-queue.js';
import { type JobExecutor, JobRunner } from './job-runner.js';
import type { RetrainRequest } from './retrain-request.js';

const request: RetrainRequest = {
  family: 'fam',
  trigger: 'manual',
  requestedBy: 'test',
  payload: { reason: 'stop test', settings: {} },
};

/** A store that can be closed and opened again on the same data, like a restarted process. */
interface Reopenable {
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

const BACKENDS: { name: string; make(): Promise<Reopenable> }[] = [
  {
    name: 'sqlite',
    make: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cs-stop-'));
      return {
        open: async () => openSqliteStore({ path: join(dir, 's.sqlite') }),
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    make: async () => {
      const { url, schema, drop } = await postgresTestSchema();
      return { open: () => openPostgresStore({ url, schema, maxConnections: 4 }), dispose: drop };
    },
  },
];

/**
 * Training that reports progress often (so progress writes are in flight when
 * the stop comes) and, like the child-process trainer, rejects at once on
 * abort while the child goes on reporting until its epoch ends (here 60 ms).
 */
const slowTraining: JobExecutor = (_job, progress, signal) =>
  new Promise((_resolve, reject) => {
    let epoch = 0;
    const tick = setInterval(() => progress(Math.min(0.9, ++epoch / 100), `fit on train: epoch ${epoch}`), 2);
    signal.addEventListener(
      'abort',
      () => {
        setTimeout(() => clearInterval(tick), 60);
        reject(new Error('retraining aborted'));
      },
      { once: true },
    );
  });

async function waitForRunning(store: Store, id: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const j = await store.jobs.get(id);
    if (j?.status === 'running' && j.progress > 0) return;
    if (Date.now() > until) throw new Error(`job ${id} never ran: ${JSON.stringify(j)}`);
    await sleep(10);
  }
}

function assertHandedBack(job: StoredLearningJob | undefined): void {
  assert.equal(job?.status, 'queued', JSON.stringify(job));
  assert.equal(job?.attempts, 0, 'the stopped attempt is not counted');
  assert.equal(job?.error, null);
  assert.equal(job?.finishedAt, null);
  assert.match(job?.message ?? '', /stopped by a shutdown; queued again/);
}

for (const backend of BACKENDS) {
  test(`${backend.name}, in-process queue: close() while a job trains hands it back queued; the next process runs it`, async () => {
    const data = await backend.make();
    const errors: unknown[] = [];
    try {
      let store = await data.open();
      const queue = (s: Store, execute: JobExecutor, finished: StoredLearningJob[] = []) =>
        new InProcessJobQueue({
          jobs: s.jobs,
          runner: new JobRunner({
            jobs: s.jobs,
            learning: s.learning,
            clock: systemClock,
            owner: `owner-${Math.random()}`,
            execute,
            onError: (err) => errors.push(err),
          }),
          clock: systemClock,
          attempts: 3,
          backoffMs: 20,
          onError: (err) => errors.push(err),
          onFinished: (j) => finished.push(j),
        });
      const first = queue(store, slowTraining);
      const { job } = await first.enqueue(request);
      await waitForRunning(store, job.id);
      await first.close();
      // Closed straight after, as the server does: nothing may still be writing.
      await store.close();
      await sleep(150);
      assert.deepEqual(errors, []);

      store = await data.open();
      try {
        assertHandedBack(await store.jobs.get(job.id));
        let ran = 0;
        const finished: StoredLearningJob[] = [];
        const second = queue(
          store,
          async () => {
            ran++;
            return { summary: 'trained after the restart' };
          },
          finished,
        );
        await second.recover();
        while (finished.length === 0) await sleep(10);
        await second.close();
        const done = await store.jobs.get(job.id);
        assert.equal(done?.status, 'succeeded');
        assert.equal(done?.attempts, 1);
        assert.equal(done?.message, 'trained after the restart');
        assert.equal(ran, 1);
        assert.deepEqual(errors, []);
      } finally {
        await store.close();
      }
    } finally {
      await data.dispose();
    }
  });

  test(`${backend.name}, BullMQ worker: close() while a job trains hands it back waiting and queued; a new worker trains it`, async () => {
    const data = await backend.make();
    const redis = await redisTestClient();
    const settings = { url: TEST_REDIS_URL, prefix: redis.prefix, attempts: 3, backoffMs: 50 };
    const errors: unknown[] = [];
    const bull = new Queue(LEARNING_QUEUE, {
      connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: 1 },
      prefix: `${redis.prefix}bull`,
    });
    const start = (s: Store, execute: JobExecutor, finished: StoredLearningJob[] = []) =>
      startBullMqWorker({
        settings,
        jobs: s.jobs,
        runner: new JobRunner({
          jobs: s.jobs,
          learning: s.learning,
          clock: systemClock,
          owner: `owner-${Math.random()}`,
          execute,
          onError: (err) => errors.push(err),
        }),
        onError: (err) => errors.push(err),
        onFinished: (j) => finished.push(j),
      });
    try {
      let store = await data.open();
      const enqueuer = new BullMqJobQueue(settings, store.jobs, systemClock);
      const first = await start(store, slowTraining);
      const { job } = await enqueuer.enqueue(request);
      await enqueuer.close();
      await waitForRunning(store, job.id);
      await first.close();
      // Closed straight after, as `cyberstreams worker` does: nothing may still be writing.
      await store.close();
      await sleep(150);
      assert.deepEqual(errors, []);
      const inRedis = await bull.getJob(job.id);
      assert.equal(await inRedis?.getState(), 'waiting');
      assert.equal(inRedis?.attemptsMade, 0);

      store = await data.open();
      try {
        assertHandedBack(await store.jobs.get(job.id));
        let ran = 0;
        const finished: StoredLearningJob[] = [];
        const second = await start(
          store,
          async () => {
            ran++;
            return { summary: 'trained after the restart' };
          },
          finished,
        );
        try {
          const until = Date.now() + 20_000;
          while (finished.length === 0 && Date.now() < until) await sleep(20);
        } finally {
          await second.close();
        }
        const done = await store.jobs.get(job.id);
        assert.equal(done?.status, 'succeeded', JSON.stringify(done));
        assert.equal(done?.attempts, 1);
        assert.equal(ran, 1, 'trained again, not marked completed without training');
        assert.equal(await (await bull.getJob(job.id))?.getState(), 'completed');
        assert.deepEqual(errors, []);
      } finally {
        await store.close();
      }
    } finally {
      await bull.close();
      await redis.dispose();
      await data.dispose();
    }
  });
}
