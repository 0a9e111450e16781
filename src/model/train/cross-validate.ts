import { type LabelledDoc, SEVERITY_CLASSES } from '../../ingest/index.js';
import { IDENTITY_CALIBRATION } from '../calibrate.js';
import { evaluateSeverity } from '../eval/evaluate.js';
import { createRng, shuffleInPlace } from '../rng.js';
import type { HashedTrainSettings } from './hashed-settings.js';
import { fitHashed, hashedModelOf, inputOf } from './hashed-trainer.js';

/** Figures of one cross-validation fold (4 classes, uncalibrated). */
export interface FoldResult {
  fold: number;
  n: number;
  accuracy: number;
  macroF1: number;
}

/** Mean and standard deviation over folds. */
export interface CrossValidation {
  k: number;
  folds: FoldResult[];
  accuracy: { mean: number; sd: number };
  macroF1: { mean: number; sd: number };
}

function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, sd };
}

/**
 * k-fold cross-validation on the training part: examples are shuffled with
 * the seed and cut into k folds; each fold is scored by a model fitted on the
 * other k-1. Weakly labelled examples stay in training folds only (they are
 * not CVE-labelled and would not be comparable). Folds are random, not by
 * time, so the figures are an optimistic in-period estimate; the time-split
 * validation figures are the ones used for tuning.
 */
export function crossValidateHashed(
  docs: readonly LabelledDoc[],
  settings: HashedTrainSettings,
  k: number,
  onFold?: (done: number, result: FoldResult) => void,
): CrossValidation {
  const scored = docs.filter((d) => !d.labelSource.startsWith('weak:'));
  const weak = docs.filter((d) => d.labelSource.startsWith('weak:'));
  const order = shuffleInPlace(
    scored.map((_, i) => i),
    createRng(settings.seed ^ 0xcf),
  );
  const folds: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const held = new Set(order.filter((_, r) => r % k === f));
    const train = [...scored.filter((_, i) => !held.has(i)), ...weak];
    const test = scored.filter((_, i) => held.has(i));
    const fit = fitHashed(train, settings);
    const model = hashedModelOf(fit, IDENTITY_CALIBRATION, { family: 'cv', version: String(f) });
    const ev = evaluateSeverity(
      test.map((d) => d.label ?? 'medium'),
      test.map((d) => model.rawProbabilities(inputOf(d))),
      { classes: 4 },
    );
    const r = { fold: f + 1, n: ev.n, accuracy: ev.accuracy, macroF1: ev.macroF1 };
    folds.push(r);
    onFold?.(f + 1, r);
  }
  return {
    k,
    folds,
    accuracy: meanSd(folds.map((f) => f.accuracy)),
    macroF1: meanSd(folds.map((f) => f.macroF1)),
  };
}

/** Label indices of documents (unlabelled count as medium; callers pass labelled documents). */
export function labelIndices(docs: readonly LabelledDoc[]): number[] {
  return docs.map((d) => SEVERITY_CLASSES.indexOf(d.label ?? 'medium'));
}
