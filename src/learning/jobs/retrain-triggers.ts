import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { FeedbackRepository, LearningStateRepository, StoredLearningJob } from '../../store/index.js';
import type { JobQueue } from './job-queue.js';
import type { RetrainTrigger } from './retrain-request.js';

/** Name of the feedback cursor the feedback-count trigger moves. */
export const RETRAIN_FEEDBACK_CURSOR = 'retrain-feedback';

/** Dependencies and settings of {@link RetrainTriggers}. */
export interface RetrainTriggersOptions {
  family: string;
  queue: Pick<JobQueue, 'enqueue'>;
  feedback: Pick<FeedbackRepository, 'listAfter'>;
  learning: Pick<LearningStateRepository, 'getCursor' | 'moveCursor' | 'countFeedbackAfter' | 'tryLock'>;
  clock: Clock;
  /** This process's identity as lease owner. */
  owner: string;
  /** Retrain after this many new feedback items; 0 off. */
  everyFeedback: number;
  /** Minutes between scheduled retrainings; 0 off. */
  scheduleMinutes: number;
  /** Least time between drift-triggered retrainings, ms. */
  driftCooldownMs: number;
  /** How often the feedback count is checked, ms. Default 10,000. */
  checkIntervalMs?: number;
  /** Told when a trigger queued a job. */
  onQueued?: (job: StoredLearningJob, trigger: RetrainTrigger, created: boolean) => void;
  onError?: (err: unknown) => void;
}

/**
 * The automatic retraining triggers: every N new feedback items (counted in
 * the store, so feedback sent to any replica counts once), a schedule, and a
 * drift alarm. Safe with several replicas: the feedback cursor moves by
 * compare-and-set and the schedule and drift cooldown are leases, so only one
 * replica queues each retraining (and the queue collapses duplicates anyway).
 */
export class RetrainTriggers {
  readonly #o: RetrainTriggersOptions;
  readonly #timers: NodeJS.Timeout[] = [];
  #checking: Promise<void> | undefined;

  constructor(options: RetrainTriggersOptions) {
    this.#o = options;
  }

  /** Starts the feedback-count check and the schedule. */
  start(): void {
    const o = this.#o;
    if (o.everyFeedback > 0) {
      this.#timers.push(setInterval(() => void this.checkFeedback(), o.checkIntervalMs ?? 10_000).unref());
    }
    if (o.scheduleMinutes > 0) {
      this.#timers.push(setInterval(() => void this.scheduled(), o.scheduleMinutes * 60_000).unref());
    }
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.length = 0;
  }

  /**
   * Queues a retraining when at least N feedback items arrived since the
   * last one this trigger counted (one queued job per N items).
   */
  checkFeedback(): Promise<void> {
    this.#checking ??= this.#checkFeedback()
      .catch((err) => this.#o.onError?.(err))
      .finally(() => {
        this.#checking = undefined;
      });
    return this.#checking;
  }

  async #checkFeedback(): Promise<void> {
    const o = this.#o;
    if (o.everyFeedback <= 0) return;
    const cursor = await o.learning.getCursor(RETRAIN_FEEDBACK_CURSOR);
    const from = cursor?.position ?? null;
    if ((await o.learning.countFeedbackAfter(from)) < o.everyFeedback) return;
    const page = await o.feedback.listAfter(from, o.everyFeedback);
    const last = page[page.length - 1];
    if (last === undefined || page.length < o.everyFeedback) return;
    const moved = await o.learning.moveCursor(RETRAIN_FEEDBACK_CURSOR, from, {
      position: { createdAt: last.createdAt, id: last.id },
      count: (cursor?.count ?? 0) + page.length,
      updatedAt: o.clock.now(),
    });
    // Another replica counted these items first: it queues the job.
    if (!moved) return;
    await this.#enqueue('feedback', `${o.everyFeedback} new feedback items`);
  }

  /** The schedule's tick: queues a retraining unless another replica did in this period. */
  async scheduled(): Promise<void> {
    const o = this.#o;
    try {
      const period = o.scheduleMinutes * 60_000;
      // Held for most of a period and never released, under an owner used once: at most one scheduled job per period.
      if (
        !(await o.learning.tryLock(
          `schedule:${o.family}`,
          `${o.owner}:${randomUUID()}`,
          o.clock.now(),
          period * 0.9,
        ))
      ) {
        return;
      }
      await this.#enqueue('schedule', `every ${o.scheduleMinutes} minutes`);
    } catch (err) {
      o.onError?.(err);
    }
  }

  /** A drift alarm: queues a retraining unless one was queued for drift within the cooldown. */
  async drift(reason: string): Promise<void> {
    const o = this.#o;
    try {
      if (
        !(await o.learning.tryLock(
          `drift:${o.family}`,
          `${o.owner}:${randomUUID()}`,
          o.clock.now(),
          o.driftCooldownMs,
        ))
      ) {
        return;
      }
      await this.#enqueue('drift', reason);
    } catch (err) {
      o.onError?.(err);
    }
  }

  async #enqueue(trigger: RetrainTrigger, reason: string): Promise<void> {
    const { job, created } = await this.#o.queue.enqueue({
      family: this.#o.family,
      trigger,
      requestedBy: 'system',
      payload: { reason, settings: {} },
    });
    this.#o.onQueued?.(job, trigger, created);
  }
}
