import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';
import { AppError, type Clock, mulberry32 } from '../core/index.js';
import { FAMILY_SLOTS, FEATURE_DIMENSION } from '../features/index.js';
import { AnomalyModel, combinedStatistic, sliceNorm } from './anomaly-model.js';
import { forwardDense } from './dense-network.js';
import type { AnomalyManifestV1 } from './format.js';
import { levelOf, quantileTable } from './quantiles.js';
import { fitStandardiser, meanSquaredError, standardise } from './standardiser.js';
import { tfWasm } from './tf-backend.js';
import { denseLayersOf } from './tf-layers.js';

/** Settings of {@link trainAnomalyModel}; every field has a default. */
export interface AnomalyTrainOptions {
  /** Hidden widths, encoder and decoder: input → ... → input. Default [64, 16, 64] (a 16-wide bottleneck). */
  hidden?: readonly number[];
  /** Passes over the fitting vectors. Default 30. */
  epochs?: number;
  /** Default 256. */
  batchSize?: number;
  /** Adam learning rate. Default 0.001. */
  learningRate?: number;
  /** Seed of the split, shuffling, initial weights and background sample. Default 42. */
  seed?: number;
  /** Share of vectors held out (never fitted) to build the error distribution. Default 0.1. */
  holdoutFraction?: number;
  /** Entries of the stored quantile table. Default 1001 (levels 0, 0.001, ..., 1). */
  quantiles?: number;
  /** Training vectors kept as the explanation background. Default 32. */
  backgroundRows?: number;
  /** Smallest standard deviation per slot. Default 0.01. */
  minStd?: number;
  /** Clip of standardised values. Default 10. */
  clip?: number;
  /**
   * Slots `[start, end)` whose L2 norm is the topical coverage (see the
   * manifest's `coverage`), or null to score by the reconstruction error alone.
   * Default: the text-embedding family of the feature spec when vectors have
   * its dimension, else null.
   */
  coverageSlots?: readonly [number, number] | null;
  /** Called after every epoch with the mean training loss. */
  onEpoch?: (progress: { epoch: number; epochs: number; loss: number }) => void;
}

/** What the training run records about its inputs. */
export interface AnomalyTrainingInfo {
  /** `FEATURE_SPEC.version` the vectors were computed with. */
  featureSpecVersion: string;
  /** The features.json the vectors were computed with: its SHA-256 and where it came from. */
  features: { sha256: string; source: string };
  /** Which texts the vectors came from (data set, split, filters). */
  description: string;
  /** Stamps `createdAt`. */
  clock: Clock;
}

/** A trained model: its manifest, the TF.js network (to save, then dispose) and a ready scorer. */
export interface TrainedAnomaly {
  manifest: AnomalyManifestV1;
  network: tf.Sequential;
  model: AnomalyModel;
}

function shuffled(n: number, rand: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

function positiveInt(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `trainAnomalyModel: ${name} must be an integer in [1, ${max}], got ${v}`,
    );
  }
  return v;
}

function inRange(name: string, v: number, lo: number, hi: number): number {
  if (!(v > lo && v < hi))
    throw new AppError('CS_ERR_VALIDATION', `trainAnomalyModel: ${name} must be in (${lo}, ${hi}), got ${v}`);
  return v;
}

/** The dense autoencoder: input → hidden (relu, bottleneck linear) → input (linear). */
function buildNetwork(
  tf: typeof import('@tensorflow/tfjs'),
  dimension: number,
  hidden: readonly number[],
  seed: number,
): tf.Sequential {
  const bottleneck = hidden.indexOf(Math.min(...hidden));
  const net = tf.sequential();
  const widths = [...hidden, dimension];
  widths.forEach((units, i) => {
    net.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [dimension] } : {}),
        units,
        // The bottleneck and the output are linear: the code may take any sign, and so may standardised values.
        activation: i === bottleneck || i === widths.length - 1 ? 'linear' : 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        name: `dense_${i}`,
      }),
    );
  });
  return net;
}

/**
 * Trains the anomaly autoencoder (TF.js, wasm backend) on feature vectors.
 *
 * A seeded share of the vectors is held out; the rest fit a per-slot
 * standardiser and the network (mean squared reconstruction error, Adam,
 * seeded shuffling). The held-out vectors' errors, computed exactly as
 * `AnomalyModel.score` computes them, become the stored quantile table, so a
 * new training-like text scores about uniformly in [0, 1] and anything
 * stranger than every held-out text scores 1.
 *
 * @throws AppError CS_ERR_VALIDATION when there are fewer than 2 vectors,
 *   lengths differ, a value is not finite, or an option is out of range.
 */
export async function trainAnomalyModel(
  vectors: readonly Float32Array[],
  info: AnomalyTrainingInfo,
  options: AnomalyTrainOptions = {},
): Promise<TrainedAnomaly> {
  const hidden = options.hidden ?? [64, 16, 64];
  const epochs = positiveInt('epochs', options.epochs ?? 30, 10_000);
  const batchSize = positiveInt('batchSize', options.batchSize ?? 256, 65_536);
  const learningRate = inRange('learningRate', options.learningRate ?? 0.001, 0, 1);
  const seed = options.seed ?? 42;
  const holdoutFraction = inRange('holdoutFraction', options.holdoutFraction ?? 0.1, 0, 1);
  const quantiles = positiveInt('quantiles', options.quantiles ?? 1001, 100_001);
  const backgroundRows = positiveInt('backgroundRows', options.backgroundRows ?? 32, 4096);
  const minStd = inRange('minStd', options.minStd ?? 0.01, 0, Number.POSITIVE_INFINITY);
  const clip = inRange('clip', options.clip ?? 10, 0, Number.POSITIVE_INFINITY);
  if (!Number.isInteger(seed))
    throw new AppError('CS_ERR_VALIDATION', `trainAnomalyModel: seed must be an integer, got ${seed}`);
  if (quantiles < 2)
    throw new AppError('CS_ERR_VALIDATION', 'trainAnomalyModel: quantiles must be at least 2');
  if (hidden.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 4096)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `trainAnomalyModel: hidden widths must be integers in [1, 4096], got [${hidden.join(', ')}]`,
    );
  }
  if (vectors.length < 2)
    throw new AppError(
      'CS_ERR_VALIDATION',
      `trainAnomalyModel: need at least 2 vectors, got ${vectors.length}`,
    );
  const dimension = vectors[0]!.length;
  const coverageSlots =
    options.coverageSlots === undefined
      ? dimension === FEATURE_DIMENSION
        ? FAMILY_SLOTS.embedding
        : null
      : options.coverageSlots;
  if (coverageSlots !== null) {
    const [start, end] = coverageSlots;
    if (
      !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= dimension)
    ) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `trainAnomalyModel: coverageSlots [${start}, ${end}) leave the vector of ${dimension}`,
      );
    }
  }
  const hash = createHash('sha256');
  vectors.forEach((v, i) => {
    if (v.length !== dimension) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `trainAnomalyModel: vector ${i} has ${v.length} slots, the first ${dimension}`,
      );
    }
    if (!v.every(Number.isFinite))
      throw new AppError('CS_ERR_VALIDATION', `trainAnomalyModel: vector ${i} has a non-finite value`);
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  });

  const tf = await tfWasm();
  const rand = mulberry32(seed);
  const order = shuffled(vectors.length, rand);
  const holdoutRows = Math.min(vectors.length - 1, Math.max(1, Math.round(vectors.length * holdoutFraction)));
  const holdout = Array.from(order.subarray(0, holdoutRows), (i) => vectors[i]!);
  const fit = Array.from(order.subarray(holdoutRows), (i) => vectors[i]!);

  const standardiser = fitStandardiser(fit, minStd, clip);
  const z = new Float32Array(fit.length * dimension);
  fit.forEach((v, r) => {
    z.set(standardise(standardiser, v), r * dimension);
  });
  const x = tf.tensor2d(z, [fit.length, dimension]);
  const network = buildNetwork(tf, dimension, hidden, seed);
  network.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  let lastLoss = Number.NaN;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const perm = shuffled(fit.length, rand);
      let sum = 0;
      for (let start = 0; start < fit.length; start += batchSize) {
        const idx = perm.subarray(start, Math.min(start + batchSize, fit.length));
        const batch = tf.tidy(() => tf.gather(x, tf.tensor1d(idx, 'int32')));
        const loss = (await network.trainOnBatch(batch, batch)) as number;
        batch.dispose();
        sum += loss * idx.length;
      }
      lastLoss = sum / fit.length;
      options.onEpoch?.({ epoch, epochs, loss: lastLoss });
    }
  } finally {
    x.dispose();
  }

  const layers = denseLayersOf(network, 'trained anomaly network');
  const errorOf = (v: Float32Array): number => {
    const s = standardise(standardiser, v);
    return meanSquaredError(s, forwardDense(layers, s));
  };
  const holdoutErrors = holdout.map(errorOf);
  const errorQuantiles = quantileTable(holdoutErrors, quantiles);
  const coverage =
    coverageSlots === null
      ? null
      : {
          start: coverageSlots[0],
          end: coverageSlots[1],
          quantiles: quantileTable(
            holdout.map((v) => sliceNorm(v, coverageSlots[0], coverageSlots[1])),
            quantiles,
          ),
        };
  // The combined statistic of each held-out vector, read through the same tables the scorer uses.
  const combined = holdout.map((v, i) =>
    combinedStatistic(
      levelOf(errorQuantiles, holdoutErrors[i]!),
      coverage === null ? null : levelOf(coverage.quantiles, sliceNorm(v, coverage.start, coverage.end)),
    ),
  );
  const fitErrors = fit.map(errorOf);
  const mean = (a: readonly number[]) => a.reduce((s, e) => s + e, 0) / a.length;
  const sampleOrder = shuffled(fit.length, rand);
  const background = Array.from(sampleOrder.subarray(0, Math.min(backgroundRows, fit.length)), (i) =>
    Array.from(fit[i]!),
  );

  const manifest: AnomalyManifestV1 = {
    format: 'cyberstreams-anomaly',
    formatVersion: 1,
    createdAt: new Date(info.clock.now()).toISOString(),
    featureSpecVersion: info.featureSpecVersion,
    dimension,
    features: { ...info.features },
    trainingData: {
      description: info.description,
      fitRows: fit.length,
      holdoutRows,
      sha256: hash.digest('hex'),
    },
    hidden: [...hidden],
    hyperparameters: {
      epochs,
      batchSize,
      learningRate,
      seed,
      holdoutFraction,
      minStd,
      clip,
      loss: 'mse',
      optimizer: 'adam',
      coverageSlots: coverageSlots === null ? 'none' : `${coverageSlots[0]}-${coverageSlots[1]}`,
    },
    metrics: {
      finalTrainLoss: lastLoss,
      fitMeanError: mean(fitErrors),
      holdoutMeanError: mean(holdoutErrors),
      holdoutMedianError: quantileTable(holdoutErrors, 3)[1]!,
    },
    standardiser: { mean: Array.from(standardiser.mean), std: Array.from(standardiser.std), clip },
    errorQuantiles,
    coverage,
    scoreQuantiles: quantileTable(combined, quantiles),
    background: { mean: Array.from(standardiser.mean), rows: background },
  };
  return { manifest, network, model: new AnomalyModel(manifest, layers) };
}
