import { type LabelledDoc, SEVERITY_CLASSES } from '../../ingest/index.js';
import { type Calibration, IDENTITY_CALIBRATION } from '../calibrate.js';
import { CVSS_HEAD_SIZES, metricIndices } from '../cvss-severity.js';
import type { HashedConfigV1 } from '../format/hashed-v1.js';
import { HashedSeverityModel } from '../hashed/hashed-model.js';
import type { NetworkShape, NetworkWeights } from '../hashed/network.js';
import { hashedFeatures, type SparseVector } from '../hashed/text-features.js';
import { type NetworkExample, trainNetwork } from '../hashed/train-network.js';
import { createRng } from '../rng.js';
import type { SeverityInput } from '../severity.js';
import type { HashedTrainSettings } from './hashed-settings.js';
import { recencyWeights } from './recency-weights.js';

/** A fitted hashed network with everything needed to predict or save it. */
export interface HashedFit {
  shape: NetworkShape;
  weights: NetworkWeights;
  /** The model config without the tensor index (filled in when saving). */
  config: Omit<HashedConfigV1, 'tensors'>;
}

/** Progress of one epoch, for progress bars. */
export interface EpochInfo {
  epoch: number;
  epochs: number;
  loss: number;
  /** Figures on the monitoring set when one is given (4-class accuracy and macro-F1 of the uncalibrated model). */
  monitor?: { accuracy: number; macroF1: number };
}

/** The model input of a labelled document. */
export function inputOf(d: LabelledDoc): SeverityInput {
  return {
    text: d.text,
    ...(d.source === undefined ? {} : { source: d.source }),
    ...(d.published === undefined ? {} : { published: d.published }),
    cwes: d.cwes,
  };
}

/** Class weights (n / (classes * n_c)) ^ power over the classes present; absent classes get 0. */
export function classWeights(labels: readonly number[], power: number): number[] {
  const counts = new Array<number>(5).fill(0);
  for (const l of labels) counts[l] = (counts[l] as number) + 1;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c === 0 ? 0 : (labels.length / (present * c)) ** power));
}

/** The network shape and model config implied by the settings. */
export function hashedShape(s: HashedTrainSettings): {
  shape: NetworkShape;
  config: Omit<HashedConfigV1, 'tensors'>;
} {
  const heads = s.cvssHeads ? [5, ...CVSS_HEAD_SIZES] : [5];
  const width = heads.reduce((a, b) => a + b, 0);
  const network = { dim: s.hiddenDim > 0 ? s.hiddenDim : width, hidden: s.hiddenDim > 0, heads };
  const mode = s.cvssHeads ? s.outputMode : 'direct';
  return {
    shape: { ...network, buckets: s.features.buckets },
    config: { features: s.features, network, output: { mode, mixWeight: mode === 'mix' ? s.mixWeight : 1 } },
  };
}

/**
 * Fits a hashed network on labelled documents. Documents without a CVSS
 * vector train the severity head only. `monitor`, when given, is scored after
 * every epoch (4 classes, uncalibrated) for the progress display only; it never
 * influences the weights.
 */
export function fitHashed(
  docs: readonly LabelledDoc[],
  s: HashedTrainSettings,
  hooks: { onEpoch?: (info: EpochInfo) => void; monitor?: readonly LabelledDoc[] } = {},
): HashedFit {
  const { shape, config } = hashedShape(s);
  const rng = createRng(s.seed ^ 0x5eed);
  const labels = docs.map((d) => SEVERITY_CLASSES.indexOf(d.label ?? 'medium'));
  const cw = classWeights(labels, s.classWeightPower);
  const recency = recencyWeights(docs, s.recencyHalfLifeMonths);
  const examples: NetworkExample[] = docs.map((d, i) => {
    const hide = rng.next() < s.sourceDropout;
    const x: SparseVector = hashedFeatures(hide ? { text: d.text } : inputOf(d), s.features);
    const targets = new Int32Array(shape.heads.length).fill(-1);
    targets[0] = labels[i] as number;
    if (s.cvssHeads && d.cvss?.metrics) {
      metricIndices(d.cvss.metrics).forEach((v, m) => {
        targets[m + 1] = v;
      });
    }
    return { x, targets, weight: (cw[labels[i] as number] as number) * (recency[i] as number) };
  });
  const monitorX = hooks.monitor?.map((d) => hashedFeatures(inputOf(d), s.features));
  const monitorY = hooks.monitor?.map((d) => SEVERITY_CLASSES.indexOf(d.label ?? 'medium'));
  const weights = trainNetwork(shape, examples, {
    epochs: s.epochs,
    learningRate: s.learningRate,
    l2: s.l2,
    inputDropout: s.inputDropout,
    hiddenDropout: s.hiddenDropout,
    headWeights: [1, ...CVSS_HEAD_SIZES.map(() => s.cvssHeadWeight)],
    initScale: s.initScale,
    embeddingOptimizer: s.embeddingOptimizer,
    seed: s.seed,
    onEpoch: (epoch, loss, w) => {
      if (!hooks.onEpoch) return;
      let monitor: EpochInfo['monitor'];
      if (monitorX && monitorY) {
        const m = new HashedSeverityModel({ ...config, tensors: [] }, w, IDENTITY_CALIBRATION, {
          family: 'monitor',
          version: '-',
        });
        monitor = quickFourClass(
          monitorY,
          monitorX.map((x) => m.rawFromFeatures(x)),
        );
      }
      hooks.onEpoch({ epoch, epochs: s.epochs, loss, ...(monitor ? { monitor } : {}) });
    },
  });
  return { shape, weights, config };
}

function quickFourClass(
  truth: readonly number[],
  probs: readonly Float64Array[],
): { accuracy: number; macroF1: number } {
  const tp = [0, 0, 0, 0];
  const fp = [0, 0, 0, 0];
  const fn = [0, 0, 0, 0];
  let n = 0;
  let hits = 0;
  truth.forEach((t, i) => {
    if (t >= 4) return;
    const p = probs[i] as Float64Array;
    let b = 0;
    for (let c = 1; c < 4; c++) if ((p[c] as number) > (p[b] as number)) b = c;
    n++;
    if (b === t) {
      hits++;
      tp[t] = (tp[t] as number) + 1;
    } else {
      fp[b] = (fp[b] as number) + 1;
      fn[t] = (fn[t] as number) + 1;
    }
  });
  const f1s = tp
    .map((x, c) => ({ x, d: 2 * x + (fp[c] as number) + (fn[c] as number) }))
    .filter((v) => v.d > 0)
    .map((v) => (2 * v.x) / v.d);
  return {
    accuracy: n === 0 ? 0 : hits / n,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length,
  };
}

/** Wraps a fit as a runtime model with a calibration. */
export function hashedModelOf(
  fit: HashedFit,
  calibration: Calibration,
  ref: { family: string; version: string },
) {
  return new HashedSeverityModel({ ...fit.config, tensors: [] }, fit.weights, calibration, ref);
}
