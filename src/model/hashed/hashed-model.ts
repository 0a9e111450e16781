import { SEVERITY_CLASSES } from '../../ingest/index.js';
import { applyCalibration, type Calibration } from '../calibrate.js';
import { severityFromMetricProbs } from '../cvss-severity.js';
import type { HashedConfigV1 } from '../format/hashed-v1.js';
import type { SeverityInput, SeverityModel, SeverityModelRef, SeverityPrediction } from '../severity.js';
import { forward, type NetworkShape, type NetworkWeights, outputWidth, softmaxSlice } from './network.js';
import { hashedFeatures, type SparseVector } from './text-features.js';

// Scratch of combineHeads (synchronous and not re-entered, so one set is enough):
// it runs once per occluded word of every explained prediction.
const headScratch = {
  direct: new Float64Array(5),
  cvss: new Float64Array(5),
  byHead: [] as Float64Array[],
  metrics: [] as Float64Array[],
};

/**
 * Turns head outputs into the uncalibrated five-class distribution according
 * to the output mode (direct head, CVSS-formula from the metric heads, or a
 * mix of both). `out` receives the probabilities.
 */
export function combineHeads(
  logits: Float32Array,
  shape: Pick<NetworkShape, 'heads'>,
  output: HashedConfigV1['output'],
  out: Float64Array,
): Float64Array {
  const direct = softmaxSlice(logits, 0, 5, 1, headScratch.direct);
  if (output.mode === 'direct' || shape.heads.length < 9) {
    out.set(direct);
    return out;
  }
  const metricProbs = headScratch.metrics;
  metricProbs.length = 0;
  let start = 5;
  for (let h = 1; h < shape.heads.length; h++) {
    const n = shape.heads[h] as number;
    let buf = headScratch.byHead[h];
    if (buf?.length !== n) {
      buf = new Float64Array(n);
      headScratch.byHead[h] = buf;
    }
    metricProbs.push(softmaxSlice(logits, start, n, 1, buf));
    start += n;
  }
  const cvss = severityFromMetricProbs(metricProbs, headScratch.cvss);
  const a = output.mode === 'cvss' ? 0 : output.mixWeight;
  for (let c = 0; c < 5; c++) out[c] = a * (direct[c] as number) + (1 - a) * (cvss[c] as number);
  return out;
}

/** Builds the public prediction from calibrated probabilities. */
export function toPrediction(probabilities: number[], ref: SeverityModelRef): SeverityPrediction {
  let best = 0;
  for (let c = 1; c < probabilities.length; c++)
    if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
  return {
    probabilities,
    severity: SEVERITY_CLASSES[best] ?? 'medium',
    confidence: probabilities[best] as number,
    model: { ...ref },
  };
}

/** The runtime of a `hashed-ngram` model: featurise, run the network, combine heads, calibrate. */
export class HashedSeverityModel implements SeverityModel {
  readonly ref: SeverityModelRef;
  private readonly scratch: Float32Array;
  private readonly logits: Float32Array;
  private readonly raw = new Float64Array(5);
  private readonly shape: NetworkShape;

  constructor(
    private readonly config: HashedConfigV1,
    private readonly weights: NetworkWeights,
    private readonly calibration: Calibration,
    ref: SeverityModelRef,
  ) {
    this.ref = Object.freeze({ ...ref });
    this.shape = { ...config.network, buckets: config.features.buckets };
    this.scratch = new Float32Array(config.network.dim);
    this.logits = new Float32Array(outputWidth(config.network));
  }

  /**
   * The configuration, weights and calibration, read-only, for computations
   * that reuse the network incrementally (leave-one-out occlusion in
   * `occlusion.ts`). Callers must not modify them.
   */
  internals(): { config: HashedConfigV1; weights: NetworkWeights; calibration: Calibration } {
    return { config: this.config, weights: this.weights, calibration: this.calibration };
  }

  /** Uncalibrated five-class distribution (used by calibration and evaluation). */
  rawProbabilities(doc: SeverityInput): Float64Array {
    return this.rawFromFeatures(hashedFeatures(doc, this.config.features));
  }

  /** Uncalibrated five-class distribution of an already featurised input. */
  rawFromFeatures(x: SparseVector): Float64Array {
    forward(this.shape, this.weights, x, this.scratch, this.logits);
    return combineHeads(this.logits, this.shape, this.config.output, new Float64Array(5));
  }

  predict(doc: SeverityInput): SeverityPrediction {
    const x = hashedFeatures(doc, this.config.features);
    forward(this.shape, this.weights, x, this.scratch, this.logits);
    combineHeads(this.logits, this.shape, this.config.output, this.raw);
    return toPrediction(applyCalibration(this.raw, this.calibration), this.ref);
  }

  predictBatch(docs: readonly SeverityInput[]): SeverityPrediction[] {
    return docs.map((d) => this.predict(d));
  }

  dispose(): void {
    // Plain typed arrays: nothing to release.
  }
}
