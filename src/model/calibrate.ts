import { SEVERITY_CLASSES, type SeverityClass } from '../ingest/index.js';
import { fitClassOffsets, fitTemperature } from './eval/calibration.js';
import { classificationReport } from './eval/metrics.js';
import type { ModelManifest } from './format/manifest.js';

/** How raw class probabilities become the published ones: softmax((log p + offsets) / temperature). */
export interface Calibration {
  temperature: number;
  /** One per class (SEVERITY_CLASSES order); zeros when no decision tuning was done. */
  offsets: readonly number[];
}

/** No change: temperature 1, zero offsets. */
export const IDENTITY_CALIBRATION: Calibration = Object.freeze({
  temperature: 1,
  offsets: Object.freeze([0, 0, 0, 0, 0]),
});

/** Smallest probability fed to the log (keeps it finite). */
const MIN_P = 1e-9;

/** The calibration a manifest records. */
export function calibrationOf(manifest: ModelManifest): Calibration {
  const c = manifest.calibration;
  if (c.method === 'none') return IDENTITY_CALIBRATION;
  return { temperature: c.temperature, offsets: c.classOffsets ?? IDENTITY_CALIBRATION.offsets };
}

/** Applies a calibration to one probability vector; the result sums to 1. */
export function applyCalibration(p: ArrayLike<number>, cal: Calibration): number[] {
  const n = p.length;
  const logs = new Array<number>(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) {
    const v = (Math.log(Math.max(p[c] as number, MIN_P)) + (cal.offsets[c] ?? 0)) / cal.temperature;
    logs[c] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const e = Math.exp((logs[c] as number) - max);
    logs[c] = e;
    sum += e;
  }
  for (let c = 0; c < n; c++) logs[c] = (logs[c] as number) / sum;
  return logs;
}

/**
 * Mean of accuracy and macro-F1 over the four CVSS classes (examples whose
 * truth is informational left out; predicting informational counts as wrong):
 * the objective of the decision offsets.
 */
export function fourClassObjective(truth: ArrayLike<number>, pred: readonly number[]): number {
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    if ((truth[i] as number) >= 4) continue;
    t.push(truth[i] as number);
    p.push(pred[i] as number);
  }
  const r = classificationReport(t, p, 5);
  return (r.accuracy + r.macroF1) / 2;
}

/**
 * Fits the calibration on held-out data: optionally the per-class decision
 * offsets first (maximising {@link fourClassObjective}; the informational
 * offset stays 0), then the temperature by minimum NLL on the offset
 * log-probabilities.
 */
export function fitCalibration(
  raw: readonly ArrayLike<number>[],
  truth: readonly SeverityClass[],
  options: { tuneOffsets: boolean },
): Calibration {
  const logits = raw.map((p) => Array.from(p, (v) => Math.log(Math.max(v, MIN_P))));
  const y = truth.map((t) => SEVERITY_CLASSES.indexOf(t));
  const offsets = options.tuneOffsets
    ? fitClassOffsets(logits, y, SEVERITY_CLASSES.length, fourClassObjective, { frozen: [4] })
    : [...IDENTITY_CALIBRATION.offsets];
  const shifted = logits.map((l) => l.map((v, c) => v + (offsets[c] as number)));
  return { temperature: fitTemperature(shifted, y), offsets };
}
