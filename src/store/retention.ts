import type { Clock } from '../core/index.js';
import type { PredictionRepository } from './predictions.js';

/** Timer functions, injected so tests drive the schedule without waiting. */
export interface IntervalTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The real timers; the interval is unref'd so it never keeps a process alive on its own. */
export const systemIntervalTimer: IntervalTimer = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Options for {@link startRetentionPurge}. */
export interface RetentionOptions {
  predictions: PredictionRepository;
  clock: Clock;
  /** Predictions older than this many days are deleted; 0 disables the purge. */
  retentionDays: number;
  /** Time between purges, in milliseconds. */
  intervalMs: number;
  /** Default: the real timers. */
  timer?: IntervalTimer;
  /** Called after each purge with the number of deleted predictions. */
  onPurged?: (deleted: number) => void;
  /** Called when a purge fails; the schedule goes on. */
  onError?: (err: unknown) => void;
  /**
   * Called with the ids of each deleted chunk (to forget derived records such as
   * knowledge-graph threats). Its failures go to `onError`; the purge goes on.
   */
  onDeleted?: (ids: string[]) => Promise<void> | void;
}

/** A running purge schedule. */
export interface RetentionPurge {
  /** Purges now (also what the schedule calls); resolves with the number deleted. Runs never overlap. */
  runOnce(): Promise<number>;
  /** Stops the schedule and waits for a purge in progress. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Deletes stored predictions older than the retention period, once at start
 * and then every `intervalMs`. Feedback is never purged (it is training data);
 * feedback rows keep their own copy of the text when their prediction goes.
 */
export function startRetentionPurge(options: RetentionOptions): RetentionPurge {
  const timer = options.timer ?? systemIntervalTimer;
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    if (options.retentionDays === 0) return Promise.resolve(0);
    running ??= options.predictions
      .purgeOlderThan(options.clock.now() - options.retentionDays * DAY_MS, undefined, async (ids) => {
        try {
          await options.onDeleted?.(ids);
        } catch (err) {
          options.onError?.(err);
        }
      })
      .then((n) => {
        options.onPurged?.(n);
        return n;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const tick = () => {
    runOnce().catch((err: unknown) => options.onError?.(err));
  };
  const handle = options.retentionDays === 0 ? undefined : timer.setInterval(tick, options.intervalMs);
  tick();
  return {
    runOnce,
    stop: async () => {
      if (handle !== undefined) timer.clearInterval(handle);
      await running?.catch(() => {});
    },
  };
}
