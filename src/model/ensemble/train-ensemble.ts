import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/index.js';
import { SEVERITY_CLASSES } from '../../ingest/index.js';
import { applyCalibration, type Calibration, fitCalibration } from '../calibrate.js';
import type { SeverityCorpus } from '../data/severity-corpus.js';
import { evaluateSeverity, type SeverityEvaluation } from '../eval/evaluate.js';
import { ENSEMBLE_SPEC_VERSION, type EnsembleConfigV1 } from '../format/ensemble-v1.js';
import { CURRENT_MANIFEST_FORMAT, type ModelManifest } from '../format/manifest.js';
import { writeModelDir } from '../format/model-dir.js';
import type { MlpTrainSettings } from '../mlp/mlp-settings.js';
import { trainMlpSeverity } from '../mlp/train-mlp.js';
import { flattenSettings, type HashedTrainSettings } from '../train/hashed-settings.js';
import {
  TRAINING_REPORT_FILE,
  type TrainHooks,
  trainHashedSeverity,
} from '../train/train-hashed-severity.js';
import { ENSEMBLE_FAMILY } from './ensemble-family.js';
import { poolProbabilities } from './ensemble-model.js';

/** Sub-directories of the two members inside an ensemble directory. */
export const ENSEMBLE_MEMBERS = Object.freeze({ hashed: 'hashed', mlp: 'mlp' });

/** Result of training an ensemble. */
export interface EnsembleTrainResult {
  manifest: ModelManifest;
  weight: number;
  calibration: Calibration;
  validation: {
    fourClass: SeverityEvaluation;
    fiveClass: SeverityEvaluation;
    weightSearch: { weight: number; score: number }[];
  };
}

/**
 * Trains the hashed n-gram model and the TF.js MLP on the same corpus and
 * protocol, then pools their calibrated probabilities: the hashed model's
 * weight is chosen on validation (grid 0, 0.05, ..., 1, maximising the mean
 * of 4-class accuracy and macro-F1 of the train-only members), and the pooled
 * probabilities get their own temperature, fitted on validation. Writes the
 * members to `outDir/hashed` and `outDir/mlp` and the ensemble manifest to `outDir`.
 */
export async function trainEnsembleSeverity(
  corpus: SeverityCorpus,
  settings: { hashed: HashedTrainSettings; mlp: MlpTrainSettings },
  outDir: string,
  options: { clock: Clock; parentVersion?: string | null; hooks?: TrainHooks },
): Promise<EnsembleTrainResult> {
  const hashed = trainHashedSeverity(corpus, settings.hashed, {
    clock: options.clock,
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
  await writeModelDir(join(outDir, ENSEMBLE_MEMBERS.hashed), hashed.manifest, hashed.files);
  const mlp = await trainMlpSeverity(corpus, settings.mlp, join(outDir, ENSEMBLE_MEMBERS.mlp), {
    clock: options.clock,
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
  const truth = corpus.validation.map((d) => d.label ?? 'medium');
  const pooledAt = (w: number) =>
    hashed.validationProbabilities.map((p, i) =>
      poolProbabilities([p, mlp.validationProbabilities[i] as number[]], [w, 1 - w], 'linear'),
    );
  const weightSearch: { weight: number; score: number }[] = [];
  for (let k = 0; k <= 20; k++) {
    const w = k / 20;
    const e = evaluateSeverity(truth, pooledAt(w), { classes: 4 });
    weightSearch.push({ weight: w, score: (e.accuracy + e.macroF1) / 2 });
  }
  const best = weightSearch.reduce((a, b) => (b.score > a.score ? b : a));
  const pooled = pooledAt(best.weight);
  const calibration = fitCalibration(pooled, truth, { tuneOffsets: false });
  const calibrated = pooled.map((p) => applyCalibration(p, calibration));
  const validation = {
    fourClass: evaluateSeverity(truth, calibrated, { classes: 4 }),
    fiveClass: evaluateSeverity(truth, calibrated, { classes: 5 }),
    weightSearch,
  };
  const config: EnsembleConfigV1 = {
    members: [
      { path: ENSEMBLE_MEMBERS.hashed, weight: best.weight },
      { path: ENSEMBLE_MEMBERS.mlp, weight: 1 - best.weight },
    ],
    pooling: 'linear',
  };
  const createdAt = new Date(options.clock.now()).toISOString();
  const sha256 = hashed.manifest.trainingData.sha256;
  const prefix = (p: string, r: Record<string, number | string | boolean>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [`${p}.${k}`, v]));
  const manifest: ModelManifest = {
    formatVersion: CURRENT_MANIFEST_FORMAT as 1,
    task: 'severity',
    family: ENSEMBLE_FAMILY,
    version: `${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${sha256.slice(0, 8)}`,
    parentVersion: options.parentVersion ?? null,
    createdAt,
    featureSpecVersion: ENSEMBLE_SPEC_VERSION,
    classes: [...SEVERITY_CLASSES],
    trainingData: { ...hashed.manifest.trainingData },
    hyperparameters: {
      hashedWeight: best.weight,
      pooling: 'linear',
      ...prefix('hashed', flattenSettings(settings.hashed)),
      ...prefix('mlp', settings.mlp),
    },
    metrics: {
      'validation.accuracy4': validation.fourClass.accuracy,
      'validation.macroF1_4': validation.fourClass.macroF1,
      'validation.ece4': validation.fourClass.ece,
      'validation.selective4_0.5': validation.fourClass.selective['0.5'],
      'validation.selective4_0.8': validation.fourClass.selective['0.8'],
      'validation.accuracy5': validation.fiveClass.accuracy,
      'validation.macroF1_5': validation.fiveClass.macroF1,
      ...prefix('hashed', hashed.manifest.metrics),
      ...prefix('mlp', mlp.manifest.metrics),
    } as Record<string, number>,
    calibration: { method: 'temperature', temperature: calibration.temperature },
    files: { report: TRAINING_REPORT_FILE },
    config,
  };
  await mkdir(outDir, { recursive: true });
  await writeModelDir(outDir, manifest, {
    [TRAINING_REPORT_FILE]: `${JSON.stringify({ corpus: corpus.report, settings, weightSearch, calibration, validation }, null, 1)}\n`,
  });
  return { manifest, weight: best.weight, calibration, validation };
}
