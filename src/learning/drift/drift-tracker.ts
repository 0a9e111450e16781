import type { Clock } from '../../core/index.js';
import type { FeatureFamily } from '../../features/index.js';
import { SEVERITY_CLASSES } from '../../model/index.js';
import { DriftMonitor } from './drift-monitor.js';
import type { DriftReport } from './drift-report.js';
import type { DriftReference } from './reference.js';

/** Settings and hooks of a {@link DriftTracker}. */
export interface DriftTrackerOptions {
  window: number;
  minSamples: number;
  psiAlarm: number;
  /** Families whose PSI can raise the alarm (the class mix always can). Default all. */
  alarmFamilies?: readonly FeatureFamily[];
  clock: Clock;
  /** Most answers waiting for featurization; more are dropped (counted), so drift never slows the service. Default 1,000. */
  maxQueue?: number;
  /**
   * Most answers featurized per second (0: no limit). Above it, every k-th answer is
   * measured, k from the arrival rate of the last second, so drift costs a bounded share
   * of the CPU under load; the window then holds a systematic sample of the traffic. Default 0.
   */
  maxPerSecond?: number;
  /** How often the alarm is checked, in ms. Default 30,000. */
  checkIntervalMs?: number;
  /** Called when a check finds the alarm on (the caller rate-limits what it triggers). */
  onAlarm?: (report: DriftReport) => void;
  /** Told about featurization failures (the sample counts without a vector). */
  onError?: (err: unknown) => void;
}

interface Pending<I> {
  input: I;
  severity: string;
}

/**
 * Feeds the active model's answers into a {@link DriftMonitor}: each answer is
 * queued and featurized later on the event loop (never on the request path),
 * with the active model's feature artefacts when it has any.
 */
export class DriftTracker<I> {
  readonly #o: DriftTrackerOptions;
  readonly #monitor: DriftMonitor;
  #featurize: ((input: I, referenceTime: number) => Float32Array) | undefined;
  #queue: Pending<I>[] = [];
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  /** Answers dropped because the queue was full. */
  dropped = 0;
  /** Answers left out by the `maxPerSecond` sampling. */
  sampledOut = 0;
  #periodStart = Number.NEGATIVE_INFINITY;
  #periodCount = 0;
  #lastPeriodCount = 0;
  #sequence = 0;

  constructor(options: DriftTrackerOptions) {
    this.#o = options;
    this.#monitor = new DriftMonitor({
      window: options.window,
      minSamples: options.minSamples,
      psiAlarm: options.psiAlarm,
      clock: options.clock,
      ...(options.alarmFamilies === undefined ? {} : { alarmFamilies: options.alarmFamilies }),
    });
  }

  /** Starts measuring against a (new) active model; the window starts empty. */
  reset(
    model: { family: string; version: string } | null,
    reference: DriftReference | undefined,
    featurize: ((input: I, referenceTime: number) => Float32Array) | undefined,
  ): void {
    this.#queue = [];
    this.#featurize = reference !== undefined && reference.slots.length > 0 ? featurize : undefined;
    this.#monitor.reset(model, reference);
  }

  /** Queues one answer of the active model. */
  observe(input: I, output: { severity: string }): void {
    if (!this.#sampled()) {
      this.sampledOut++;
      return;
    }
    if (this.#queue.length >= (this.#o.maxQueue ?? 1_000)) {
      this.dropped++;
      return;
    }
    this.#queue.push({ input, severity: output.severity });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#drain());
    }
  }

  /** Whether this answer is measured under `maxPerSecond`: every k-th, k = ceil(arrivals per second / max). */
  #sampled(): boolean {
    const max = this.#o.maxPerSecond ?? 0;
    if (max <= 0) return true;
    const now = this.#o.clock.now();
    if (now - this.#periodStart >= 1_000) {
      // A gap of more than one period means the last full second saw (close to) nothing.
      this.#lastPeriodCount = now - this.#periodStart < 2_000 ? this.#periodCount : 0;
      this.#periodStart = now;
      this.#periodCount = 0;
    }
    this.#periodCount++;
    const stride = Math.ceil(Math.max(this.#lastPeriodCount, this.#periodCount) / max);
    return stride <= 1 || this.#sequence++ % stride === 0;
  }

  /** Featurizes everything queued now (tests; the event loop does it otherwise). */
  drainNow(): void {
    this.#drain();
  }

  #drain(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    const now = this.#o.clock.now();
    for (const p of batch) {
      let vector: Float32Array | null = null;
      if (this.#featurize !== undefined) {
        try {
          vector = this.#featurize(p.input, now);
        } catch (err) {
          this.#o.onError?.(err);
        }
      }
      this.#monitor.observe(vector, (SEVERITY_CLASSES as readonly string[]).indexOf(p.severity));
    }
  }

  /** The current drift report. */
  report(): DriftReport {
    return this.#monitor.report();
  }

  /** Checks the alarm every `checkIntervalMs`. */
  start(): void {
    this.#timer ??= setInterval(() => this.check(), this.#o.checkIntervalMs ?? 30_000).unref();
  }

  /** Checks the alarm now; calls `onAlarm` when it is on. Returns the report. */
  check(): DriftReport {
    const report = this.#monitor.report();
    if (report.alarm) this.#o.onAlarm?.(report);
    return report;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
