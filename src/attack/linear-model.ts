import type { SparseVector } from './featurizer.js';
import { createRng, shuffleInPlace } from './rng.js';

/**
 * A linear classifier over sparse vectors, trained by stochastic gradient
 * descent with L2 regularisation. Two output kinds:
 * - `softmax`: one distribution over `outputs` classes (multi-label targets share the mass);
 * - `sigmoid`: `outputs` independent one-vs-rest probabilities.
 */

/** Output kind of a {@link LinearModel}. */
export type OutputKind = 'softmax' | 'sigmoid';

/** Weights of a linear model. `weights[f * outputs + k]` is the weight of bucket `f` for output `k`. */
export interface LinearModel {
  output: OutputKind;
  dim: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** One training example: its vector, the output indices it belongs to (empty: none), and its weight. */
export interface TrainExample {
  x: SparseVector;
  targets: readonly number[];
  weight: number;
}

/** Settings of {@link trainLinear}. */
export interface SgdConfig {
  output: OutputKind;
  /** Passes over the data. */
  epochs: number;
  /** Initial step size; decays as `lr / (1 + lr * l2 * t)` over examples seen `t`. */
  learningRate: number;
  /** L2 penalty per example. */
  l2: number;
  /** Seed of the shuffling. */
  seed: number;
  /**
   * Returns the mean of the weights at the end of each pass from this pass on (1-based;
   * 0 or absent: the last weights). Averaging the late passes of SGD smooths the noise of
   * the last steps, as averaged SGD does.
   */
  averageFrom?: number;
}

/** Raw scores (logits) of `x`. */
export function logits(
  model: LinearModel,
  x: SparseVector,
  out = new Float32Array(model.outputs),
): Float32Array {
  const K = model.outputs;
  const { weights, bias } = model;
  for (let k = 0; k < K; k++) out[k] = bias[k] as number;
  for (let i = 0; i < x.indices.length; i++) {
    const v = x.values[i] as number;
    const row = (x.indices[i] as number) * K;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + v * (weights[row + k] as number);
  }
  return out;
}

/** Turns logits into probabilities in place (softmax or element-wise sigmoid). */
export function activate(output: OutputKind, z: Float32Array): Float32Array {
  if (output === 'sigmoid') {
    for (let k = 0; k < z.length; k++) z[k] = 1 / (1 + Math.exp(-(z[k] as number)));
    return z;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < z.length; k++) max = Math.max(max, z[k] as number);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k] as number) - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / sum;
  return z;
}

/** Probabilities of `x` under `model`. */
export function probabilities(model: LinearModel, x: SparseVector): Float32Array {
  return activate(model.output, logits(model, x));
}

/**
 * Trains a model on `examples` (not modified). For `softmax`, every example needs at
 * least one target (give the "none" class its own output). `onEpoch` reports the mean
 * loss of each pass, for progress output.
 */
export function trainLinear(
  examples: readonly TrainExample[],
  dim: number,
  outputs: number,
  config: SgdConfig,
  onEpoch?: (epoch: number, meanLoss: number) => void,
): LinearModel {
  const K = outputs;
  const v = new Float32Array(dim * K);
  const bias = new Float32Array(K);
  // The weights are `scale * v`: L2 shrinkage of every weight costs one multiplication.
  let scale = 1;
  const rng = createRng(config.seed);
  const order = examples.map((_, i) => i);
  const z = new Float32Array(K);
  const target = new Float32Array(K);
  const grad = new Float32Array(K);
  const averageFrom = config.averageFrom ?? 0;
  const averaging = averageFrom > 0 && averageFrom <= config.epochs;
  const sumV = averaging ? new Float64Array(dim * K) : new Float64Array(0);
  const sumBias = new Float64Array(K);
  let snapshots = 0;
  let t = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let weightSum = 0;
    for (const idx of order) {
      const ex = examples[idx] as TrainExample;
      const lr = config.learningRate / (1 + config.learningRate * config.l2 * t);
      t++;
      // Forward pass with the scaled weights.
      for (let k = 0; k < K; k++) z[k] = 0;
      const { indices, values } = ex.x;
      for (let i = 0; i < indices.length; i++) {
        const val = values[i] as number;
        const row = (indices[i] as number) * K;
        for (let k = 0; k < K; k++) z[k] = (z[k] as number) + val * (v[row + k] as number);
      }
      for (let k = 0; k < K; k++) z[k] = (z[k] as number) * scale + (bias[k] as number);
      activate(config.output, z);
      target.fill(0);
      if (config.output === 'softmax') {
        for (const c of ex.targets) target[c] = 1 / ex.targets.length;
        for (const c of ex.targets)
          lossSum -= ex.weight * target[c]! * Math.log(Math.max(z[c] as number, 1e-12));
      } else {
        for (const c of ex.targets) target[c] = 1;
        for (let k = 0; k < K; k++) {
          const p = z[k] as number;
          lossSum -= ex.weight * Math.log(Math.max(target[k] === 1 ? p : 1 - p, 1e-12));
        }
      }
      weightSum += ex.weight;
      for (let k = 0; k < K; k++) grad[k] = ex.weight * ((z[k] as number) - (target[k] as number));
      scale *= 1 - lr * config.l2;
      const step = lr / scale;
      for (let i = 0; i < indices.length; i++) {
        const val = (values[i] as number) * step;
        const row = (indices[i] as number) * K;
        for (let k = 0; k < K; k++) v[row + k] = (v[row + k] as number) - val * (grad[k] as number);
      }
      for (let k = 0; k < K; k++) bias[k] = (bias[k] as number) - lr * (grad[k] as number);
      if (scale < 1e-6) {
        for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
        scale = 1;
      }
    }
    onEpoch?.(epoch + 1, weightSum > 0 ? lossSum / weightSum : 0);
    if (averaging && epoch + 1 >= averageFrom) {
      for (let i = 0; i < v.length; i++) sumV[i] = (sumV[i] as number) + (v[i] as number) * scale;
      for (let k = 0; k < K; k++) sumBias[k] = (sumBias[k] as number) + (bias[k] as number);
      snapshots++;
    }
  }
  if (averaging) {
    for (let i = 0; i < v.length; i++) v[i] = (sumV[i] as number) / snapshots;
    for (let k = 0; k < K; k++) bias[k] = (sumBias[k] as number) / snapshots;
    return { output: config.output, dim, outputs: K, weights: v, bias };
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  return { output: config.output, dim, outputs: K, weights: v, bias };
}
