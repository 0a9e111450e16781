import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { LearningJobRepository, StoredLearningJob } from '../../store/index.js';
import type { JobQueue } from './job-queue.js';
import type { JobRunner } from './job-runner.js';
import type { RetrainRequest } from './retrain-request.js';

/** Dependencies and settings of an {@link InProcessJobQueue}. */
export interface InProcessJobQueueOptions {
  jobs: LearningJobRepository;
  runner: JobRunner;
  clock: Clock;
  /** Attempts per job (RETRAIN_ATTEMPTS). */
  attempts: number;
  /** First retry delay, doubled each retry (RETRAIN_BACKOFF_MS). */
  backoffMs: number;
  /** Wait before trying again when another process holds the family's lease, ms. Default 5,000. */
  busyRetryMs?: number;
  /** Told about unexpected failures of the queue itself. */
  onError?: (err: unknown) => void;
  /** Told when a job finishes (succeeded or failed for good). */
  onFinished?: (job: StoredLearningJob) => void;
}

/**
 * The default queue: jobs are recorded in the store and run one at a time in
 * this process (the training itself in a child process, so the API never
 * blocks), with retries and exponential back-off. On start it picks up jobs
 * left queued by a previous run.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  readonly #o: InProcessJobQueueOptions;
  readonly #ready: string[] = [];
  #running: Promise<void> | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #abort = new AbortController();
  #closed = false;

  constructor(options: InProcessJobQueueOptions) {
    this.#o = options;
  }

  /** Picks up jobs a previous process left queued or running (those are re-run). */
  async recover(): Promise<void> {
    for (const job of await this.#o.jobs.withStatus(['queued', 'running'])) this.#push(job.id);
  }

  async enqueue(request: RetrainRequest): Promise<{ job: StoredLearningJob; created: boolean }> {
    const out = await this.#o.jobs.createUnlessQueued({
      id: randomUUID(),
      kind: 'retrain',
      family: request.family,
      trigger: request.trigger,
      requestedBy: request.requestedBy,
      payload: request.payload,
      createdAt: this.#o.clock.now(),
    });
    if (out.created) this.#push(out.job.id);
    return out;
  }

  /** Resolves when no job is running or waiting to run now (tests). Retries scheduled later are not waited for. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#abort.abort();
    await this.#running?.catch(() => {});
  }

  #push(id: string): void {
    if (this.#closed || this.#ready.includes(id)) return;
    this.#ready.push(id);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  #later(id: string, ms: number): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.#push(id);
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  async #drain(): Promise<void> {
    for (let id = this.#ready.shift(); id !== undefined && !this.#closed; id = this.#ready.shift()) {
      try {
        const job = await this.#o.jobs.get(id);
        if (job === undefined || job.status === 'succeeded' || job.status === 'failed') continue;
        const attempt = job.attempts + 1;
        const outcome = await this.#o.runner.attempt(job, attempt, this.#o.attempts, this.#abort.signal);
        // Stopped by close(): stored queued, for recover() in the next process.
        if (outcome.status === 'interrupted') continue;
        if (outcome.status === 'busy') this.#later(id, this.#o.busyRetryMs ?? 5_000);
        else if (outcome.status === 'failed' && !outcome.final)
          this.#later(id, this.#o.backoffMs * 2 ** (attempt - 1));
        else {
          const done = await this.#o.jobs.get(id);
          if (done !== undefined) this.#o.onFinished?.(done);
        }
      } catch (err) {
        this.#o.onError?.(err);
      }
    }
  }
}
