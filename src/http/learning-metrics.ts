import { Counter, Gauge, type Registry } from 'prom-client';
import type { DriftReport } from '../learning/index.js';
import { LEARNING_METRICS as METRICS } from './metrics-names.js';

/** What the learning gauges read at scrape time. */
export interface LearningGaugeSources {
  /** This replica's drift report, or null. */
  drift(): DriftReport | null;
  /** The loaded versions by slot. */
  loaded(): { slot: string; family: string; version: string }[];
}

/**
 * Prometheus metrics of the self-learning loop, in the service's registry:
 * drift gauges (read from the drift report at scrape time), loaded models,
 * hot swaps, experiment observations and finished retraining jobs.
 */
export class LearningMetrics {
  readonly modelSwaps: Counter<'slot'>;
  readonly experimentObservations: Counter<'role'>;
  readonly retrainJobs: Counter<'trigger' | 'status' | 'promoted'>;

  constructor(registry: Registry, sources: LearningGaugeSources) {
    const registers = [registry];
    new Gauge({
      name: METRICS.driftPsi,
      help: 'PSI of live traffic against the active model training reference, by feature family (mean over its slots).',
      labelNames: ['family'] as const,
      registers,
      collect() {
        this.reset();
        for (const f of sources.drift()?.families ?? []) this.set({ family: f.family }, f.psi);
      },
    });
    new Gauge({
      name: METRICS.driftClassMixPsi,
      help: 'PSI of the live predicted-class mix against the reference mix.',
      registers,
      collect() {
        const v = sources.drift()?.classMixPsi;
        this.reset();
        if (v !== undefined && v !== null) this.set(v);
      },
    });
    new Gauge({
      name: METRICS.driftKsStatistic,
      help: 'Two-sample Kolmogorov-Smirnov statistic of a numeric feature slot (live window vs reference).',
      labelNames: ['slot'] as const,
      registers,
      collect() {
        this.reset();
        for (const k of sources.drift()?.ks ?? []) this.set({ slot: k.slot }, k.statistic);
      },
    });
    new Gauge({
      name: METRICS.driftAlarm,
      help: 'Drift alarm: 1 when a PSI exceeds DRIFT_PSI_ALARM on a full enough window.',
      registers,
      collect() {
        this.set(sources.drift()?.alarm ? 1 : 0);
      },
    });
    new Gauge({
      name: METRICS.driftWindowSamples,
      help: 'Predictions in this replica drift window.',
      registers,
      collect() {
        this.set(sources.drift()?.samples ?? 0);
      },
    });
    new Gauge({
      name: METRICS.modelLoaded,
      help: 'Loaded model versions (1 each), by serving slot.',
      labelNames: ['slot', 'model_family', 'model_version'] as const,
      registers,
      collect() {
        this.reset();
        for (const m of sources.loaded())
          this.set({ slot: m.slot, model_family: m.family, model_version: m.version }, 1);
      },
    });
    this.modelSwaps = new Counter({
      name: METRICS.modelSwaps,
      help: 'Hot swaps of a serving slot (a promotion or rollback picked up by this replica).',
      labelNames: ['slot'] as const,
      registers,
    });
    this.experimentObservations = new Counter({
      name: METRICS.experimentObservations,
      help: 'Paired canary/shadow observations recorded.',
      labelNames: ['role'] as const,
      registers,
    });
    this.retrainJobs = new Counter({
      name: METRICS.retrainJobs,
      help: 'Retraining jobs finished in this process.',
      labelNames: ['trigger', 'status', 'promoted'] as const,
      registers,
    });
  }
}
