import type { Clock } from '../../core/index.js';
import type { LearningJobRepository, LearningStateRepository, StoredLearningJob } from '../../store/index.js';
import { TrainingBusyError } from './retrain-request.js';

/** Reports progress of a running job: a fraction in [0, 1] and what it is doing. */
export type ProgressReporter = (fraction: number, message: string) => void;

/** Does the work of one job; returns its JSON-safe result. */
export type JobExecutor = (
  job: StoredLearningJob,
  progress: ProgressReporter,
  signal: AbortSignal,
) => Promise<unknown>;

/** Dependencies of a {@link JobRunner}. */
export interface JobRunnerOptions {
  jobs: LearningJobRepository;
  learning: Pick<LearningStateRepository, 'tryLock' | 'releaseLock'>;
  clock: Clock;
  execute: JobExecutor;
  /** This process's identity as lease owner. */
  owner: string;
  /** Lease length in ms; renewed at a third of it while the job runs. Default 120,000. */
  leaseMs?: number;
  /** Told about failures to write progress (the job goes on). */
  onError?: (err: unknown) => void;
}

/** The outcome of one attempt. */
export type AttemptOutcome =
  | { status: 'succeeded'; result: unknown }
  | { status: 'failed'; error: Error; final: boolean }
  | { status: 'busy' }
  /** Stopped by the signal (a graceful shutdown): stored queued again, the attempt not counted. */
  | { status: 'interrupted' };

/**
 * Runs one attempt of a job the same way for every queue: takes the family's
 * training lease (one training at a time per family across all processes),
 * marks the job running, reports progress into the store, and records the
 * outcome (succeeded; queued again with the error while retries remain; or
 * failed). A held lease is not an attempt: the queue runs the job later.
 * Nor is an attempt the signal stops (the process is shutting down): the job
 * is stored queued again with its attempt count unchanged, for the next
 * process to run from the start. Every progress write is finished before the
 * attempt's outcome is written and before `attempt` resolves, so the caller
 * may close the store right after.
 */
export class JobRunner {
  readonly #o: JobRunnerOptions;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** The lease name of a family's training. */
  static lease(family: string): string {
    return `train:${family}`;
  }

  async attempt(
    job: StoredLearningJob,
    attempt: number,
    maxAttempts: number,
    signal: AbortSignal = new AbortController().signal,
    onProgress?: ProgressReporter,
  ): Promise<AttemptOutcome> {
    const o = this.#o;
    const leaseMs = o.leaseMs ?? 120_000;
    const lease = JobRunner.lease(job.family);
    if (!(await o.learning.tryLock(lease, o.owner, o.clock.now(), leaseMs))) return { status: 'busy' };
    const renew = setInterval(() => {
      o.learning.tryLock(lease, o.owner, o.clock.now(), leaseMs).catch(o.onError);
    }, leaseMs / 3);
    renew.unref();
    try {
      await o.jobs.update(
        job.id,
        {
          status: 'running',
          attempts: attempt,
          startedAt: o.clock.now(),
          progress: 0,
          message: `attempt ${attempt} of ${maxAttempts} started`,
          error: null,
        },
        o.clock.now(),
      );
      let last = 0;
      // Progress writes one after another, so a late one never lands after (and over) the outcome.
      let written: Promise<void> = Promise.resolve();
      let over = false;
      const progress: ProgressReporter = (fraction, message) => {
        // A trainer still reporting after the attempt ended (a child finishing its epoch) writes nothing.
        if (over) return;
        onProgress?.(fraction, message);
        const now = o.clock.now();
        // At most a few writes a second; the final state is always written below.
        if (now - last < 250) return;
        last = now;
        written = written.then(() =>
          o.jobs
            .update(job.id, { progress: Math.min(1, Math.max(0, fraction)), message }, now)
            .then(() => {}, o.onError),
        );
      };
      try {
        const result = await o.execute(job, progress, signal).finally(() => {
          over = true;
          return written;
        });
        await o.jobs.update(
          job.id,
          { status: 'succeeded', progress: 1, result, finishedAt: o.clock.now(), message: summarise(result) },
          o.clock.now(),
        );
        return { status: 'succeeded', result };
      } catch (err) {
        if (err instanceof TrainingBusyError) return { status: 'busy' };
        if (signal.aborted) {
          await o.jobs.update(
            job.id,
            {
              status: 'queued',
              attempts: attempt - 1,
              progress: 0,
              startedAt: null,
              message: `attempt ${attempt} of ${maxAttempts} stopped by a shutdown; queued again, the attempt not counted`,
              error: null,
            },
            o.clock.now(),
          );
          return { status: 'interrupted' };
        }
        const error = err instanceof Error ? err : new Error(String(err));
        const final = attempt >= maxAttempts;
        await o.jobs.update(
          job.id,
          {
            status: final ? 'failed' : 'queued',
            error: error.message,
            message: final ? `failed after ${attempt} attempt(s)` : `attempt ${attempt} failed; will retry`,
            ...(final ? { finishedAt: o.clock.now() } : {}),
          },
          o.clock.now(),
        );
        return { status: 'failed', error, final };
      }
    } finally {
      clearInterval(renew);
      await o.learning.releaseLock(lease, o.owner).catch(o.onError);
    }
  }
}

function summarise(result: unknown): string {
  const r = result as { summary?: unknown } | null;
  return typeof r?.summary === 'string' ? r.summary : 'done';
}
