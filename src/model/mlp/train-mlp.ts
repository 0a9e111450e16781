import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Clock } from '../../core/index.js';
import { validate } from '../../core/index.js';
import {
  FEATURE_SPEC_VERSION,
  FEATURES_FILE,
  type FeatureArtefacts,
  fitFeatureArtefacts,
  serializeFeatureArtefacts,
} from '../../features/index.js';
import { type LabelledDoc, SEVERITY_CLASSES } from '../../ingest/index.js';
import { applyCalibration, type Calibration, fitCalibration, IDENTITY_CALIBRATION } from '../calibrate.js';
import type { SeverityCorpus } from '../data/severity-corpus.js';
import { evaluateSeverity, type SeverityEvaluation } from '../eval/evaluate.js';
import { CURRENT_MANIFEST_FORMAT, MANIFEST_FILE, type ModelManifest } from '../format/manifest.js';
import { ManifestV1Schema } from '../format/manifest-v1.js';
import type { MlpConfigV1 } from '../format/mlp-v1.js';
import { createRng, shuffleInPlace } from '../rng.js';
import type { EpochInfo } from '../train/hashed-trainer.js';
import { classWeights, inputOf } from '../train/hashed-trainer.js';
import { calibratedFigures, TRAINING_REPORT_FILE, type TrainHooks } from '../train/train-hashed-severity.js';
import { trainingDataHash } from '../train/training-data-hash.js';
import { MLP_FAMILY } from './mlp-family.js';
import { MlpSeverityModel } from './mlp-model.js';
import type { MlpTrainSettings } from './mlp-settings.js';
import { saveLayersModel, TFJS_FILES } from './tfjs-io.js';
import { tfjs } from './tfjs-runtime.js';

/** Reference time used when a training document has no publication time (2024-06-01). */
const FALLBACK_REFERENCE = Date.UTC(2024, 5, 1);

interface MlpFit {
  network: LayersModel;
  artefacts: FeatureArtefacts;
  config: MlpConfigV1;
}

async function fitMlp(
  docs: readonly LabelledDoc[],
  s: MlpTrainSettings,
  phase: string,
  hooks: TrainHooks,
  monitor?: readonly LabelledDoc[],
): Promise<MlpFit> {
  const tf = await tfjs();
  const artefacts = fitFeatureArtefacts(
    docs.map((d) => ({ text: d.text, ...(d.source === undefined ? {} : { source: d.source }) })),
    { seed: s.seed, maxVocabulary: s.maxVocabulary },
  );
  const provisional: MlpConfigV1 = {
    standardize: { mean: new Array(128).fill(0), std: new Array(128).fill(1) },
    referenceTime: 'published',
    fallbackReferenceTime: FALLBACK_REFERENCE,
  };
  const probe = new MlpSeverityModel(tf, tf.sequential(), artefacts, provisional, IDENTITY_CALIBRATION, {
    family: MLP_FAMILY,
    version: '-',
  });
  const raw = docs.map((d) => probe.vector(inputOf(d)));
  const dim = raw[0]?.length ?? 128;
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (const v of raw)
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (v[i] as number) / raw.length;
  for (const v of raw)
    for (let i = 0; i < dim; i++)
      sq[i] = (sq[i] as number) + ((v[i] as number) - (mean[i] as number)) ** 2 / raw.length;
  const std = sq.map((x) => (Math.sqrt(x) > 1e-6 ? Math.sqrt(x) : 1));
  const config: MlpConfigV1 = { ...provisional, standardize: { mean, std } };
  const x = new Float32Array(raw.length * dim);
  raw.forEach((v, i) => {
    for (let j = 0; j < dim; j++)
      x[i * dim + j] = ((v[j] as number) - (mean[j] as number)) / (std[j] as number);
  });
  const labels = docs.map((d) => SEVERITY_CLASSES.indexOf(d.label ?? 'medium'));
  const cw = classWeights(labels, s.classWeightPower);
  const init = (k: number) => tf.initializers.glorotUniform({ seed: s.seed + k });
  const network = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [dim], units: 64, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dropout({ rate: 0.3, seed: s.seed + 2 }),
      tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dropout({ rate: 0.2, seed: s.seed + 4 }),
      tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(5) }),
    ],
  });
  network.compile({ optimizer: tf.train.adam(s.learningRate), loss: 'categoricalCrossentropy' });
  const rng = createRng(s.seed);
  const order = labels.map((_, i) => i);
  const model = new MlpSeverityModel(tf, network, artefacts, config, IDENTITY_CALIBRATION, {
    family: MLP_FAMILY,
    version: '-',
  });
  hooks.onPhase?.(phase, s.epochs);
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    // Our own seeded shuffle: TF.js's shuffle uses Math.random.
    shuffleInPlace(order, rng);
    const xs = new Float32Array(order.length * dim);
    const ys = new Int32Array(order.length);
    order.forEach((src, i) => {
      xs.set(x.subarray(src * dim, src * dim + dim), i * dim);
      ys[i] = labels[src] as number;
    });
    const xt = tf.tensor2d(xs, [order.length, dim]);
    const yt = tf.oneHot(tf.tensor1d(ys, 'int32'), 5);
    const h = await network.fit(xt, yt, {
      epochs: 1,
      batchSize: s.batchSize,
      shuffle: false,
      verbose: 0,
      // TF.js supports class weights (not sample weights); all ones when the power is 0.
      ...(s.classWeightPower > 0 ? { classWeight: Object.fromEntries(cw.map((w, c) => [c, w])) } : {}),
    });
    tf.dispose([xt, yt]);
    const loss = Number(h.history.loss?.[0] ?? Number.NaN);
    const info: EpochInfo = { epoch, epochs: s.epochs, loss };
    if (monitor && monitor.length > 0) {
      const ev = evaluateSeverity(
        monitor.map((d) => d.label ?? 'medium'),
        model.rawBatch(monitor.map(inputOf)),
        { classes: 4 },
      );
      info.monitor = { accuracy: ev.accuracy, macroF1: ev.macroF1 };
    }
    hooks.onEpoch?.(phase, info);
  }
  return { network, artefacts, config };
}

/** Result of training the baseline. */
export interface MlpTrainResult {
  manifest: ModelManifest;
  calibration: Calibration;
  /** Calibrated probabilities of the train-only fit on the validation examples, in order. */
  validationProbabilities: number[][];
  validation: { fourClass: SeverityEvaluation; fiveClass: SeverityEvaluation; uncalibratedEce4: number };
}

/**
 * Trains the design's TF.js baseline on the same corpus and protocol as the
 * hashed model (fit on train, temperature on validation, optional refit on
 * train + validation) and writes the model directory: `model.json` +
 * `weights.bin` (TF.js layers format), `features.json`, `manifest.json`.
 */
export async function trainMlpSeverity(
  corpus: SeverityCorpus,
  s: MlpTrainSettings,
  outDir: string,
  options: { clock: Clock; parentVersion?: string | null; hooks?: TrainHooks },
): Promise<MlpTrainResult> {
  const tf = await tfjs();
  const hooks = options.hooks ?? {};
  const first = await fitMlp(corpus.train, s, 'MLP fit on train', hooks, corpus.validation);
  const firstModel = new MlpSeverityModel(
    tf,
    first.network,
    first.artefacts,
    first.config,
    IDENTITY_CALIBRATION,
    {
      family: MLP_FAMILY,
      version: '-',
    },
  );
  const raw = firstModel.rawBatch(corpus.validation.map(inputOf));
  const truth = corpus.validation.map((d) => d.label ?? 'medium');
  const calibration = fitCalibration(raw, truth, { tuneOffsets: s.tuneOffsets });
  const validation = calibratedFigures(raw, truth, calibration);
  let final = first;
  let trainDocs: readonly LabelledDoc[] = corpus.train;
  if (s.refitOnValidation) {
    first.network.dispose();
    trainDocs = [...corpus.train, ...corpus.validation];
    final = await fitMlp(trainDocs, s, 'MLP refit on train+validation', hooks);
  }
  await mkdir(outDir, { recursive: true });
  await saveLayersModel(final.network, outDir);
  await writeFile(join(outDir, FEATURES_FILE), serializeFeatureArtefacts(final.artefacts));
  final.network.dispose();
  const createdAt = new Date(options.clock.now()).toISOString();
  const sha256 = trainingDataHash(trainDocs);
  const manifest: ModelManifest = {
    formatVersion: CURRENT_MANIFEST_FORMAT as 1,
    task: 'severity',
    family: MLP_FAMILY,
    version: `${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${sha256.slice(0, 8)}`,
    parentVersion: options.parentVersion ?? null,
    createdAt,
    featureSpecVersion: FEATURE_SPEC_VERSION,
    classes: [...SEVERITY_CLASSES],
    trainingData: {
      sha256,
      description: `Same corpus as the hashed model: CVE records labelled by CVSS v3 base severity, fixed time split${s.refitOnValidation ? ' (final fit on train + validation)' : ''}, duplicates removed, weak informational sentences`,
      counts: { ...corpus.report.counts, trainingExamples: trainDocs.length },
    },
    hyperparameters: { ...s, architecture: '128-64relu-d0.3-32relu-d0.2-5softmax' },
    metrics: {
      'validation.accuracy4': validation.fourClass.accuracy,
      'validation.macroF1_4': validation.fourClass.macroF1,
      'validation.ece4': validation.fourClass.ece,
      'validation.selective4_0.5': validation.fourClass.selective['0.5'],
      'validation.accuracy5': validation.fiveClass.accuracy,
      'validation.macroF1_5': validation.fiveClass.macroF1,
    },
    calibration: {
      method: 'temperature',
      temperature: calibration.temperature,
      ...(s.tuneOffsets ? { classOffsets: [...calibration.offsets] } : {}),
    },
    files: {
      model: TFJS_FILES.model,
      weights: TFJS_FILES.weights,
      features: FEATURES_FILE,
      report: TRAINING_REPORT_FILE,
    },
    config: final.config,
  };
  validate(ManifestV1Schema, manifest, 'manifest to write', 'CS_ERR_INTERNAL');
  await writeFile(
    join(outDir, TRAINING_REPORT_FILE),
    `${JSON.stringify({ corpus: corpus.report, settings: s, calibration, validation }, null, 1)}\n`,
  );
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    manifest,
    calibration,
    validationProbabilities: raw.map((p) => applyCalibration(p, calibration)),
    validation,
  };
}
