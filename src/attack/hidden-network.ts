import {
  forward,
  type NetworkExample,
  type NetworkShape,
  type NetworkWeights,
  trainNetwork,
} from '../model/index.js';
import type { SparseVector } from './featurizer.js';
import { activate, type TrainExample } from './linear-model.js';
import type { TechniqueTrainingSettings } from './settings.js';

/**
 * The nonlinear alternative to the linear softmax: one ReLU hidden layer between the
 * hashed TF-IDF input and the softmax over the techniques plus "no technique". It is
 * the severity model's hashed network (`src/model`, embedding bag + ReLU + dense head,
 * lazy Adam, dropout), trained here with a single head.
 */

/** A trained hidden-layer network. */
export interface HiddenNetwork {
  shape: NetworkShape;
  weights: NetworkWeights;
}

/** Standard deviation of the initial input-layer weights (the severity trainer's default). */
const INIT_SCALE = 0.01;

/** The featuriser's vector as the network's input type (same buckets and values, no copy of the values). */
export function networkInput(x: SparseVector): { idx: Int32Array; val: Float32Array } {
  // Buckets are below 2^24, so the unsigned indices read the same as signed ones.
  return { idx: new Int32Array(x.indices.buffer, x.indices.byteOffset, x.indices.length), val: x.values };
}

/**
 * The network trainer takes one class per head. A unit with n targets becomes n
 * examples of weight w/n each: in expectation the gradient of the linear trainer's
 * target mass shared over the n classes.
 */
export function toNetworkExamples(examples: readonly TrainExample[]): NetworkExample[] {
  const out: NetworkExample[] = [];
  for (const ex of examples) {
    const x = networkInput(ex.x);
    for (const t of ex.targets) {
      out.push({ x, targets: Int32Array.of(t), weight: ex.weight / ex.targets.length });
    }
  }
  return out;
}

/**
 * Trains a network of `settings.hidden` ReLU units over `dim` buckets with `outputs`
 * softmax outputs. Deterministic for a given seed. `onEpoch` gets the mean training loss.
 */
export function trainHiddenNetwork(
  examples: readonly TrainExample[],
  dim: number,
  outputs: number,
  settings: TechniqueTrainingSettings,
  seed: number,
  onEpoch?: (epoch: number, meanLoss: number) => void,
): HiddenNetwork {
  const shape: NetworkShape = { buckets: dim, dim: settings.hidden, hidden: true, heads: [outputs] };
  const weights = trainNetwork(shape, toNetworkExamples(examples), {
    epochs: settings.hiddenEpochs,
    learningRate: settings.hiddenLearningRate,
    l2: 0,
    inputDropout: settings.inputDropout,
    hiddenDropout: settings.hiddenDropout,
    headWeights: [1],
    embeddingOptimizer: 'adam',
    initScale: INIT_SCALE,
    seed,
    ...(onEpoch === undefined ? {} : { onEpoch: (e: number, loss: number) => onEpoch(e, loss) }),
  });
  return { shape, weights };
}

/**
 * Softmax probabilities of every output for `x`. `scratch` (length `shape.dim`) and
 * `out` (length of the head) are overwritten; returns `out`.
 */
export function hiddenProbabilities(
  net: HiddenNetwork,
  x: SparseVector,
  scratch = new Float32Array(net.shape.dim),
  out = new Float32Array(net.shape.heads[0] as number),
): Float32Array {
  return activate('softmax', forward(net.shape, net.weights, networkInput(x), scratch, out));
}
