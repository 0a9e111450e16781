import type { Clock } from '../../core/index.js';
import { type LabelledDoc, SEVERITY_CLASSES, type SeverityClass } from '../../ingest/index.js';
import { applyCalibration, type Calibration, fitCalibration, IDENTITY_CALIBRATION } from '../calibrate.js';
import type { CorpusReport, SeverityCorpus } from '../data/severity-corpus.js';
import { evaluateSeverity, type SeverityEvaluation } from '../eval/evaluate.js';
import { CURRENT_MANIFEST_FORMAT, type ModelManifest } from '../format/manifest.js';
import { encodeHashedWeights, HASHED_FAMILY, HASHED_WEIGHTS_FILE } from '../hashed/hashed-family.js';
import type { HashedSeverityModel } from '../hashed/hashed-model.js';
import { HASHED_FEATURES_VERSION } from '../hashed/text-features.js';
import type { SeverityInput } from '../severity.js';
import { type CrossValidation, crossValidateHashed } from './cross-validate.js';
import { flattenSettings, type HashedTrainSettings } from './hashed-settings.js';
import { type EpochInfo, fitHashed, hashedModelOf, inputOf } from './hashed-trainer.js';
import { trainingDataHash } from './training-data-hash.js';

/**
 * File of a model directory holding what the training run saw: corpus counts,
 * skips, deduplication, labelling-function precision, validation figures,
 * cross-validation. Read by the data-card script; not needed to predict.
 */
export const TRAINING_REPORT_FILE = 'training-report.json';

/** Hooks for progress display. */
export interface TrainHooks {
  /** A training phase starts (`fit on train`, `refit on train+validation`, `cross-validation`). */
  onPhase?: (phase: string, epochs: number) => void;
  onEpoch?: (phase: string, info: EpochInfo) => void;
}

/** Everything a training run produced. */
export interface SeverityTrainResult {
  manifest: ModelManifest;
  /** Files of the model directory besides the manifest, by name. */
  files: Record<string, Buffer>;
  /** The final model, ready to predict. */
  model: HashedSeverityModel;
  calibration: Calibration;
  /** Calibrated probabilities of the train-only fit on the validation examples, in order (for ensembling). */
  validationProbabilities: number[][];
  /** Figures of the train-only fit on validation, calibrated. */
  validation: { fourClass: SeverityEvaluation; fiveClass: SeverityEvaluation; uncalibratedEce4: number };
  crossValidation?: CrossValidation;
}

/** Raw validation probabilities of a model and the truth, for calibration. */
export function validationRaw(
  model: { rawProbabilities(doc: SeverityInput): Float64Array },
  validation: readonly LabelledDoc[],
): { raw: Float64Array[]; truth: SeverityClass[] } {
  return {
    raw: validation.map((d) => model.rawProbabilities(inputOf(d))),
    truth: validation.map((d) => d.label ?? 'medium'),
  };
}

/** Calibrated 4- and 5-class figures of raw probabilities. */
export function calibratedFigures(
  raw: readonly Float64Array[],
  truth: readonly SeverityClass[],
  calibration: Calibration,
) {
  const calibrated = raw.map((p) => applyCalibration(p, calibration));
  return {
    fourClass: evaluateSeverity(truth, calibrated, { classes: 4 }),
    fiveClass: evaluateSeverity(truth, calibrated, { classes: 5 }),
    uncalibratedEce4: evaluateSeverity(truth, raw, { classes: 4 }).ece,
  };
}

/**
 * Trains the hashed n-gram severity model: fit on train (validation scored
 * per epoch for display), temperature fitted on validation, optional k-fold
 * cross-validation on train, then (by default) a refit on train + validation
 * with the same settings and temperature. Returns the manifest and files of
 * the model directory.
 */
export function trainHashedSeverity(
  corpus: SeverityCorpus,
  settings: HashedTrainSettings,
  options: { clock: Clock; parentVersion?: string | null; crossValidationFolds?: number; hooks?: TrainHooks },
): SeverityTrainResult {
  const hooks = options.hooks ?? {};
  hooks.onPhase?.('fit on train', settings.epochs);
  const first = fitHashed(corpus.train, settings, {
    monitor: corpus.validation,
    onEpoch: (info) => hooks.onEpoch?.('fit on train', info),
  });
  const firstModel = hashedModelOf(first, IDENTITY_CALIBRATION, {
    family: HASHED_FAMILY,
    version: 'train-only',
  });
  const { raw, truth } = validationRaw(firstModel, corpus.validation);
  const calibration = fitCalibration(raw, truth, { tuneOffsets: settings.tuneOffsets });
  const validation = calibratedFigures(raw, truth, calibration);
  let crossValidation: CrossValidation | undefined;
  if ((options.crossValidationFolds ?? 0) > 1) {
    const k = options.crossValidationFolds as number;
    hooks.onPhase?.(`${k}-fold cross-validation on train`, k);
    crossValidation = crossValidateHashed(corpus.train, settings, k, (done, r) =>
      hooks.onEpoch?.(`${k}-fold cross-validation on train`, {
        epoch: done,
        epochs: k,
        loss: 0,
        monitor: { accuracy: r.accuracy, macroF1: r.macroF1 },
      }),
    );
  }
  let finalFit = first;
  let trainDocs: readonly LabelledDoc[] = corpus.train;
  if (settings.refitOnValidation) {
    trainDocs = [...corpus.train, ...corpus.validation];
    hooks.onPhase?.('refit on train+validation', settings.epochs);
    finalFit = fitHashed(trainDocs, settings, {
      onEpoch: (info) => hooks.onEpoch?.('refit on train+validation', info),
    });
  }
  const createdAt = new Date(options.clock.now()).toISOString();
  const sha256 = trainingDataHash(trainDocs);
  const version = `${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${sha256.slice(0, 8)}`;
  const { bytes, index } = encodeHashedWeights(
    finalFit.config.network,
    settings.features.buckets,
    finalFit.weights,
    settings.precision,
  );
  const report: CorpusReport = corpus.report;
  const metrics: Record<string, number> = {
    'validation.accuracy4': validation.fourClass.accuracy,
    'validation.macroF1_4': validation.fourClass.macroF1,
    'validation.ece4': validation.fourClass.ece,
    'validation.ece4_uncalibrated': validation.uncalibratedEce4,
    'validation.selective4_0.5': validation.fourClass.selective['0.5'],
    'validation.selective4_0.8': validation.fourClass.selective['0.8'],
    'validation.accuracy5': validation.fiveClass.accuracy,
    'validation.macroF1_5': validation.fiveClass.macroF1,
    'validation.n4': validation.fourClass.n,
  };
  if (crossValidation) {
    metrics[`cv${crossValidation.k}.accuracy4.mean`] = crossValidation.accuracy.mean;
    metrics[`cv${crossValidation.k}.accuracy4.sd`] = crossValidation.accuracy.sd;
    metrics[`cv${crossValidation.k}.macroF1_4.mean`] = crossValidation.macroF1.mean;
    metrics[`cv${crossValidation.k}.macroF1_4.sd`] = crossValidation.macroF1.sd;
  }
  const manifest: ModelManifest = {
    formatVersion: CURRENT_MANIFEST_FORMAT as 1,
    task: 'severity',
    family: HASHED_FAMILY,
    version,
    parentVersion: options.parentVersion ?? null,
    createdAt,
    featureSpecVersion: HASHED_FEATURES_VERSION,
    classes: [...SEVERITY_CLASSES],
    trainingData: {
      sha256,
      description: `CVE records (${report.files.join(', ')}) labelled by CVSS v3 base severity, fixed time split (train <= 2024-05${settings.refitOnValidation ? ' plus validation 2024-06..07 for the final fit' : ''}), duplicates removed, plus ${report.weakInformational} weakly labelled informational sentences`,
      counts: {
        ...report.counts,
        trainingExamples: trainDocs.length,
        imported: report.imported,
        skipped: report.skipped,
      },
    },
    hyperparameters: flattenSettings(settings),
    metrics,
    calibration: {
      method: 'temperature',
      temperature: calibration.temperature,
      ...(settings.tuneOffsets ? { classOffsets: [...calibration.offsets] } : {}),
    },
    files: { weights: HASHED_WEIGHTS_FILE, report: TRAINING_REPORT_FILE },
    config: { ...finalFit.config, tensors: index },
  };
  const model = hashedModelOf(finalFit, calibration, { family: HASHED_FAMILY, version });
  return {
    manifest,
    files: {
      [HASHED_WEIGHTS_FILE]: bytes,
      [TRAINING_REPORT_FILE]: Buffer.from(
        `${JSON.stringify({ corpus: report, settings, calibration, validation, crossValidation: crossValidation ?? null }, null, 1)}\n`,
      ),
    },
    model,
    calibration,
    validationProbabilities: raw.map((p) => applyCalibration(p, calibration)),
    validation,
    ...(crossValidation ? { crossValidation } : {}),
  };
}
