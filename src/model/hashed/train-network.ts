import { createRng, shuffleInPlace } from '../rng.js';
import { allocateWeights, type NetworkShape, type NetworkWeights, outputWidth } from './network.js';
import type { SparseVector } from './text-features.js';

/** One training example: its sparse input and the target of each head (-1: no target for that head). */
export interface NetworkExample {
  x: SparseVector;
  /** Target class per head, in head order; -1 where unknown (e.g. no CVSS vector). */
  targets: Int32Array;
  /** Loss weight of the example (class balancing, label confidence). */
  weight: number;
}

/** Optimisation settings. */
export interface NetworkTrainOptions {
  epochs: number;
  /** Adam step size at the start; decays linearly to 10% of it by the last step. */
  learningRate: number;
  /** L2 penalty on the weights touched by each step. */
  l2: number;
  /** Probability of dropping each input feature during training. */
  inputDropout: number;
  /** Probability of dropping each hidden unit during training (hidden networks). */
  hiddenDropout: number;
  /** Loss weight of each head (same order as the shape's heads). */
  headWeights: number[];
  /**
   * Optimiser of the embedding rows: `adam` (lazy Adam, steadier) or `sgd`
   * (plain SGD as in fastText, about three times cheaper per step). Dense
   * layers always use Adam.
   */
  embeddingOptimizer: 'adam' | 'sgd';
  /** Standard deviation of the initial embedding weights. */
  initScale: number;
  seed: number;
  /** Called after each epoch with the mean training loss; may return figures to show. */
  onEpoch?: (epoch: number, meanLoss: number, weights: NetworkWeights) => void;
}

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

/**
 * Trains a network with per-example Adam (lazy Adam for the embedding rows a
 * step touches, as in sparse embedding training), softmax cross-entropy per
 * head, and the given regularisation. Deterministic for a given seed.
 */
export function trainNetwork(
  shape: NetworkShape,
  examples: readonly NetworkExample[],
  opts: NetworkTrainOptions,
): NetworkWeights {
  const rng = createRng(opts.seed);
  const w = allocateWeights(shape);
  const d = shape.dim;
  const o = outputWidth(shape);
  for (let i = 0; i < w.embedding.length; i++) w.embedding[i] = rng.normal() * opts.initScale;
  if (shape.hidden) {
    const s = Math.sqrt(2 / (d + o));
    for (let i = 0; i < w.dense.length; i++) w.dense[i] = rng.normal() * s;
  }
  // Adam moments, same layout as the weights.
  const mE = new Float32Array(w.embedding.length);
  const vE = new Float32Array(w.embedding.length);
  const tRow = new Int32Array(shape.buckets); // last step a row was updated (lazy bias correction)
  const mEb = new Float64Array(d);
  const vEb = new Float64Array(d);
  const mD = new Float64Array(w.dense.length);
  const vD = new Float64Array(w.dense.length);
  const mDb = new Float64Array(w.denseBias.length);
  const vDb = new Float64Array(w.denseBias.length);

  const z = new Float64Array(d);
  const h = new Float64Array(d);
  const mask = new Float64Array(d);
  const out = new Float64Array(o);
  const gOut = new Float64Array(o);
  const gZ = new Float64Array(d);
  const headStart = shape.heads.map((_, i) => shape.heads.slice(0, i).reduce((a, b) => a + b, 0));
  const order = Array.from({ length: examples.length }, (_, i) => i);
  const totalSteps = Math.max(1, opts.epochs * examples.length);
  let step = 0;
  const keepIn = 1 - opts.inputDropout;
  const keepH = 1 - opts.hiddenDropout;

  const adam = (
    p: Float32Array,
    m: Float64Array,
    v: Float64Array,
    i: number,
    g: number,
    lr: number,
    bc1: number,
    bc2: number,
  ) => {
    const mi = B1 * (m[i] as number) + (1 - B1) * g;
    const vi = B2 * (v[i] as number) + (1 - B2) * g * g;
    m[i] = mi;
    v[i] = vi;
    p[i] = (p[i] as number) - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + EPS);
  };

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let weightSum = 0;
    for (const ei of order) {
      const ex = examples[ei] as NetworkExample;
      step++;
      const lr = opts.learningRate * (1 - (0.9 * (step - 1)) / totalSteps);
      const bc1 = 1 - B1 ** step;
      const bc2 = 1 - B2 ** step;
      // Forward with input dropout; remember which features were kept.
      const kept: number[] = [];
      for (let j = 0; j < d; j++) z[j] = w.embeddingBias[j] as number;
      for (let k = 0; k < ex.x.idx.length; k++) {
        if (keepIn < 1 && rng.next() >= keepIn) continue;
        kept.push(k);
        const row = (ex.x.idx[k] as number) * d;
        const v = (ex.x.val[k] as number) / keepIn;
        for (let j = 0; j < d; j++) z[j] = (z[j] as number) + v * (w.embedding[row + j] as number);
      }
      if (shape.hidden) {
        for (let j = 0; j < d; j++) {
          mask[j] = keepH < 1 && rng.next() >= keepH ? 0 : 1 / keepH;
          h[j] = (z[j] as number) > 0 ? (z[j] as number) * (mask[j] as number) : 0;
        }
        for (let c = 0; c < o; c++) out[c] = w.denseBias[c] as number;
        for (let j = 0; j < d; j++) {
          const hj = h[j] as number;
          if (hj === 0) continue;
          const row = j * o;
          for (let c = 0; c < o; c++) out[c] = (out[c] as number) + hj * (w.dense[row + c] as number);
        }
      } else {
        for (let c = 0; c < o; c++) out[c] = z[c] as number;
      }
      // Loss and output gradient per head.
      gOut.fill(0);
      for (let hd = 0; hd < shape.heads.length; hd++) {
        const target = ex.targets[hd] as number;
        if (target < 0) continue;
        const n = shape.heads[hd] as number;
        const s = headStart[hd] as number;
        const hw = (opts.headWeights[hd] ?? 1) * ex.weight;
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < n; c++) max = Math.max(max, out[s + c] as number);
        let sum = 0;
        for (let c = 0; c < n; c++) sum += Math.exp((out[s + c] as number) - max);
        for (let c = 0; c < n; c++) {
          const p = Math.exp((out[s + c] as number) - max) / sum;
          gOut[s + c] = hw * (p - (c === target ? 1 : 0));
          if (c === target) lossSum -= hw * Math.log(Math.max(p, 1e-12));
        }
        if (hd === 0) weightSum += ex.weight;
      }
      // Backward.
      if (shape.hidden) {
        for (let j = 0; j < d; j++) {
          let g = 0;
          const row = j * o;
          for (let c = 0; c < o; c++) g += (w.dense[row + c] as number) * (gOut[c] as number);
          gZ[j] = (z[j] as number) > 0 ? g * (mask[j] as number) : 0;
        }
        for (let j = 0; j < d; j++) {
          const hj = h[j] as number;
          const row = j * o;
          for (let c = 0; c < o; c++) {
            const i = row + c;
            adam(
              w.dense,
              mD,
              vD,
              i,
              hj * (gOut[c] as number) + opts.l2 * (w.dense[i] as number),
              lr,
              bc1,
              bc2,
            );
          }
        }
        for (let c = 0; c < o; c++) adam(w.denseBias, mDb, vDb, c, gOut[c] as number, lr, bc1, bc2);
      } else {
        for (let j = 0; j < d; j++) gZ[j] = gOut[j] as number;
      }
      for (let j = 0; j < d; j++) adam(w.embeddingBias, mEb, vEb, j, gZ[j] as number, lr, bc1, bc2);
      if (opts.embeddingOptimizer === 'sgd') {
        const decay = 1 - lr * opts.l2;
        for (const k of kept) {
          const row = (ex.x.idx[k] as number) * d;
          const v = ((ex.x.val[k] as number) / keepIn) * lr;
          for (let j = 0; j < d; j++) {
            const i = row + j;
            w.embedding[i] = (w.embedding[i] as number) * decay - v * (gZ[j] as number);
          }
        }
        continue;
      }
      for (const k of kept) {
        const r = ex.x.idx[k] as number;
        const row = r * d;
        const v = (ex.x.val[k] as number) / keepIn;
        // Lazy Adam: decay the moments for the steps this row was not touched.
        const skipped = step - 1 - (tRow[r] as number);
        const decay1 = skipped > 0 ? B1 ** skipped : 1;
        const decay2 = skipped > 0 ? B2 ** skipped : 1;
        tRow[r] = step;
        // Inlined Adam on Float32Array rows (the hot loop: a shared helper called with mixed array types deoptimises).
        const step1 = lr / bc1;
        const inv2 = 1 / bc2;
        const l2 = opts.l2;
        const emb = w.embedding;
        for (let j = 0; j < d; j++) {
          const i = row + j;
          const g = v * (gZ[j] as number) + l2 * (emb[i] as number);
          const mi = B1 * decay1 * (mE[i] as number) + (1 - B1) * g;
          const vi = B2 * decay2 * (vE[i] as number) + (1 - B2) * g * g;
          mE[i] = mi;
          vE[i] = vi;
          emb[i] = (emb[i] as number) - (step1 * mi) / (Math.sqrt(vi * inv2) + EPS);
        }
      }
    }
    opts.onEpoch?.(epoch + 1, weightSum === 0 ? 0 : lossSum / weightSum, w);
  }
  return w;
}
