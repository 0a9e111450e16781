import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, WaitingError, Worker } from 'bullmq';
import type { Clock } from '../../core/index.js';
import type { LearningJobRepository, StoredLearningJob } from '../../store/index.js';
import type { JobQueue } from './job-queue.js';
import type { JobRunner } from './job-runner.js';
import type { RetrainRequest } from './retrain-request.js';

/** Name of the BullMQ queue of the learning jobs. */
export const LEARNING_QUEUE = 'cyberstreams-learning';

/** What a BullMQ job carries: the id of its record in the store. */
interface LearningJobData {
  jobId: string;
}

/** Connection and retry settings shared by the queue and the worker. */
export interface BullMqSettings {
  /** `redis://…` (REDIS_URL). */
  url: string;
  /** Key prefix (REDIS_PREFIX); BullMQ's keys go under `<prefix>bull`. */
  prefix: string;
  /** Attempts per job (RETRAIN_ATTEMPTS). */
  attempts: number;
  /** First retry delay, doubled each retry (RETRAIN_BACKOFF_MS). */
  backoffMs: number;
}

const bullPrefix = (prefix: string) => `${prefix}bull`;

/**
 * The Redis queue (REDIS_URL set): jobs are recorded in the store and handed
 * to BullMQ, which a `cyberstreams worker` process takes them from, with
 * retries and exponential back-off.
 */
export class BullMqJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  readonly #queue: Queue<LearningJobData>;
  readonly #jobs: LearningJobRepository;
  readonly #clock: Clock;
  readonly #settings: BullMqSettings;

  constructor(settings: BullMqSettings, jobs: LearningJobRepository, clock: Clock) {
    this.#settings = settings;
    this.#jobs = jobs;
    this.#clock = clock;
    this.#queue = new Queue<LearningJobData>(LEARNING_QUEUE, {
      connection: { url: settings.url, maxRetriesPerRequest: 1 },
      prefix: bullPrefix(settings.prefix),
    });
    this.#queue.on('error', () => {
      // Reconnects on its own; enqueue reports a failure to its caller.
    });
  }

  async enqueue(request: RetrainRequest): Promise<{ job: StoredLearningJob; created: boolean }> {
    const out = await this.#jobs.createUnlessQueued({
      id: randomUUID(),
      kind: 'retrain',
      family: request.family,
      trigger: request.trigger,
      requestedBy: request.requestedBy,
      payload: request.payload,
      createdAt: this.#clock.now(),
    });
    if (out.created) {
      await this.#queue.add(
        'retrain',
        { jobId: out.job.id },
        {
          // The store record's id: adding it twice (a retried request) is a no-op in BullMQ.
          jobId: out.job.id,
          attempts: this.#settings.attempts,
          backoff: { type: 'exponential', delay: this.#settings.backoffMs },
          removeOnComplete: 1_000,
          removeOnFail: 1_000,
        },
      );
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }
}

/** Dependencies of {@link startBullMqWorker}. */
export interface BullMqWorkerOptions {
  settings: BullMqSettings;
  jobs: LearningJobRepository;
  runner: JobRunner;
  /** Wait before trying again when another worker holds the family's lease, ms. Default 5,000. */
  busyRetryMs?: number;
  onError?: (err: unknown) => void;
  onFinished?: (job: StoredLearningJob) => void;
}

/** A running BullMQ worker. */
export interface RunningBullMqWorker {
  worker: Worker<LearningJobData>;
  /**
   * Stops taking jobs and stops the running one (its training is aborted); the
   * job is handed back to the queue, waiting, with its attempt not counted, in
   * Redis and in the store. Resolves once that bookkeeping is written, so the
   * store and the Redis connection can be closed after it.
   */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker for the learning queue (`cyberstreams worker`): one
 * job at a time per worker, the family lease across workers, progress into
 * the store and BullMQ, retries by BullMQ with the store record kept in step.
 */
export async function startBullMqWorker(options: BullMqWorkerOptions): Promise<RunningBullMqWorker> {
  const { settings, jobs, runner } = options;
  const abort = new AbortController();
  const worker = new Worker<LearningJobData>(
    LEARNING_QUEUE,
    async (job: Job<LearningJobData>, token?: string) => {
      const record = await jobs.get(job.data.jobId);
      if (record === undefined) throw new Error(`No job record ${job.data.jobId}`);
      if (record.status === 'succeeded' || record.status === 'failed') return record.result;
      // BullMQ's progress writes one after another, all done before the job is handed back or finished.
      let reported: Promise<void> = Promise.resolve();
      let lastPercent = -1;
      const outcome = await runner
        .attempt(record, record.attempts + 1, settings.attempts, abort.signal, (f) => {
          const percent = Math.round(f * 100);
          if (percent === lastPercent) return;
          lastPercent = percent;
          reported = reported.then(() => job.updateProgress(percent).then(() => {}, options.onError));
        })
        .finally(() => reported);
      if (outcome.status === 'interrupted') {
        // A graceful stop: back to waiting, not failed, so the next worker runs it (BullMQ counts no attempt).
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (outcome.status === 'busy') {
        await job.moveToDelayed(Date.now() + (options.busyRetryMs ?? 5_000), token);
        throw new DelayedError();
      }
      if (outcome.status === 'failed') throw outcome.error;
      const done = await jobs.get(record.id);
      if (done !== undefined) options.onFinished?.(done);
      return outcome.result;
    },
    {
      connection: { url: settings.url, maxRetriesPerRequest: null },
      prefix: bullPrefix(settings.prefix),
      concurrency: 1,
      // Training can take minutes: the lock is renewed by BullMQ while the processor runs.
      lockDuration: 60_000,
    },
  );
  worker.on('error', (err) => options.onError?.(err));
  worker.on('failed', async (job) => {
    if (job === undefined) return;
    const record = await jobs.get(job.data.jobId).catch(() => undefined);
    if (record?.status === 'failed') options.onFinished?.(record);
  });
  await worker.waitUntilReady();
  return {
    worker,
    close: async () => {
      abort.abort();
      await worker.close();
    },
  };
}
