import type { Clock } from '../../core/index.js';
import {
  FAMILY_SLOTS,
  FEATURE_DIMENSION,
  FEATURE_FAMILIES,
  type FeatureFamily,
} from '../../features/index.js';
import type { DriftReport } from './drift-report.js';
import { ksTwoSample } from './ks.js';
import { binCounts, populationStabilityIndex } from './psi.js';
import type { DriftReference } from './reference.js';

/** Settings of a {@link DriftMonitor}. */
export interface DriftMonitorOptions {
  /** Predictions kept in the sliding window. */
  window: number;
  /** Fewest samples before the report is `ready` (and can alarm). */
  minSamples: number;
  /** PSI above which the alarm goes off. */
  psiAlarm: number;
  /** Families whose PSI can raise the alarm (the class mix always can). Default all. */
  alarmFamilies?: readonly FeatureFamily[];
  clock: Clock;
  /** A report is reused for this long, in ms, so frequent scrapes stay cheap. Default 1,000. */
  reportTtlMs?: number;
}

/**
 * Compares a sliding window of live traffic (feature vectors and predicted
 * classes) with the active model's drift reference: PSI per feature family
 * (mean over its varying slots) and on the predicted-class mix, KS on the
 * numeric slots. Per process; replicas report their own traffic.
 */
export class DriftMonitor {
  readonly #opts: DriftMonitorOptions;
  #reference: DriftReference | undefined;
  #model: { family: string; version: string } | null = null;
  readonly #vectors: Float32Array;
  readonly #hasVector: Uint8Array;
  readonly #classes: Int16Array;
  #next = 0;
  #size = 0;
  #cached: { at: number; report: DriftReport } | undefined;

  constructor(options: DriftMonitorOptions) {
    if (!(options.window >= 1)) throw new RangeError(`drift window must be >= 1, got ${options.window}`);
    this.#opts = options;
    this.#vectors = new Float32Array(options.window * FEATURE_DIMENSION);
    this.#hasVector = new Uint8Array(options.window);
    this.#classes = new Int16Array(options.window);
  }

  /** Starts over against a new model's reference (after a swap): the window is emptied. */
  reset(model: { family: string; version: string } | null, reference: DriftReference | undefined): void {
    this.#model = model === null ? null : { family: model.family, version: model.version };
    this.#reference = reference;
    this.#next = 0;
    this.#size = 0;
    this.#cached = undefined;
  }

  /** The model the window is measured against. */
  get model(): { family: string; version: string } | null {
    return this.#model;
  }

  /** Adds one live prediction: its feature vector (null when none can be computed) and predicted class index. */
  observe(vector: Float32Array | null, classIndex: number): void {
    const i = this.#next;
    if (vector !== null && vector.length === FEATURE_DIMENSION) {
      this.#vectors.set(vector, i * FEATURE_DIMENSION);
      this.#hasVector[i] = 1;
    } else {
      this.#hasVector[i] = 0;
    }
    this.#classes[i] = classIndex;
    this.#next = (i + 1) % this.#opts.window;
    this.#size = Math.min(this.#size + 1, this.#opts.window);
  }

  /** The report, computed at most once per `reportTtlMs`. */
  report(): DriftReport {
    const now = this.#opts.clock.now();
    if (this.#cached !== undefined && now - this.#cached.at < (this.#opts.reportTtlMs ?? 1_000)) {
      return this.#cached.report;
    }
    const report = this.#compute(now);
    this.#cached = { at: now, report };
    return report;
  }

  #compute(now: number): DriftReport {
    const ref = this.#reference;
    const size = this.#size;
    const ready = size >= this.#opts.minSamples;
    const classNames = ref?.classes ?? [];
    const classCounts = new Array<number>(classNames.length).fill(0);
    const withVector: number[] = [];
    for (let i = 0; i < size; i++) {
      const c = this.#classes[i]!;
      if (c >= 0 && c < classCounts.length) classCounts[c]!++;
      if (this.#hasVector[i] === 1) withVector.push(i);
    }
    const reasons: string[] = [];
    const base = {
      model: this.#model,
      samples: size,
      vectorSamples: withVector.length,
      ready,
      classMix: Object.fromEntries(classNames.map((c, i) => [c, size === 0 ? 0 : classCounts[i]! / size])),
      psiAlarm: this.#opts.psiAlarm,
      generatedAt: new Date(now).toISOString(),
    };
    if (ref === undefined) {
      return {
        ...base,
        classMixPsi: null,
        families: [],
        ks: [],
        alarm: false,
        reasons: ['no drift reference for the active model'],
      };
    }
    const classMixPsi = size === 0 ? 0 : populationStabilityIndex(ref.classMix, classCounts);
    const families: DriftReport['families'] = [];
    const ks: DriftReport['ks'] = [];
    if (ref.slots.length > 0 && withVector.length > 0) {
      const column = new Float64Array(withVector.length);
      const slotPsi = new Map<number, number>();
      for (const slot of ref.slots) {
        withVector.forEach((row, k) => {
          column[k] = this.#vectors[row * FEATURE_DIMENSION + slot.index]!;
        });
        if (slot.cuts.length > 0)
          slotPsi.set(slot.index, populationStabilityIndex(slot.proportions, binCounts(slot.cuts, column)));
        if (slot.numeric && slot.sample.length > 0) {
          column.sort();
          const r = ksTwoSample(slot.sample, column);
          ks.push({ slot: slot.name, index: slot.index, statistic: r.statistic, pValue: r.pValue });
        }
      }
      for (const family of FEATURE_FAMILIES) {
        const [start, end] = FAMILY_SLOTS[family];
        const members = ref.slots.filter((s) => s.index >= start && s.index < end && slotPsi.has(s.index));
        if (members.length === 0) continue;
        let sum = 0;
        let max = -1;
        let maxSlot = '';
        for (const s of members) {
          const v = slotPsi.get(s.index)!;
          sum += v;
          if (v > max) {
            max = v;
            maxSlot = s.name;
          }
        }
        const familyKs = ks
          .filter((k) => k.index >= start && k.index < end)
          .reduce((m, k) => Math.max(m, k.statistic), 0);
        families.push({ family, psi: sum / members.length, maxSlotPsi: max, maxSlot, maxKs: familyKs });
      }
      ks.sort((a, b) => b.statistic - a.statistic || a.index - b.index);
    }
    const alarming = new Set<string>(this.#opts.alarmFamilies ?? FEATURE_FAMILIES);
    const over = families.filter((f) => alarming.has(f.family) && f.psi > this.#opts.psiAlarm);
    const alarm = ready && (classMixPsi > this.#opts.psiAlarm || over.length > 0);
    if (!ready) reasons.push(`${size} of ${this.#opts.minSamples} samples needed`);
    if (ready && classMixPsi > this.#opts.psiAlarm) {
      reasons.push(`class-mix PSI ${classMixPsi.toFixed(3)} > ${this.#opts.psiAlarm}`);
    }
    for (const f of over)
      if (ready) reasons.push(`${f.family} PSI ${f.psi.toFixed(3)} > ${this.#opts.psiAlarm}`);
    if (ref.slots.length === 0) reasons.push('the reference has no feature distribution (class mix only)');
    return { ...base, classMixPsi, families, ks, alarm, reasons };
  }
}
