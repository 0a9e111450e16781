import type { ExperimentObservation, ExperimentRepository } from '../../store/index.js';

/** Settings of an {@link ObservationBuffer}. */
export interface ObservationBufferOptions {
  repo: Pick<ExperimentRepository, 'insert'>;
  /** Flush when this many are waiting. Default 200. */
  maxBatch?: number;
  /** Flush at least this often, in ms. Default 1,000. */
  intervalMs?: number;
  /** Most observations kept while the store is failing; older ones are dropped. Default 10,000. */
  maxPending?: number;
  /** Told about failed writes (the batch is kept for the next flush, up to `maxPending`). */
  onError?: (err: unknown) => void;
}

/**
 * Collects experiment observations off the request path and writes them in
 * batches, so canary and shadow scoring cost requests no store round trip.
 */
export class ObservationBuffer {
  readonly #o: ObservationBufferOptions;
  #pending: ExperimentObservation[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  /** Observations dropped because the store kept failing. */
  dropped = 0;

  constructor(options: ObservationBufferOptions) {
    this.#o = options;
  }

  /** Queues one observation. */
  add(observation: ExperimentObservation): void {
    this.#pending.push(observation);
    const max = this.#o.maxPending ?? 10_000;
    if (this.#pending.length > max) {
      this.dropped += this.#pending.length - max;
      this.#pending.splice(0, this.#pending.length - max);
    }
    if (this.#pending.length >= (this.#o.maxBatch ?? 200)) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#o.intervalMs ?? 1_000).unref();
  }

  /** Writes everything queued so far; resolves when written (or failed and re-queued). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#o.repo
      .insert(batch)
      .catch((err) => {
        this.#pending = [...batch, ...this.#pending];
        this.#o.onError?.(err);
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    await this.#flushing;
  }
}
