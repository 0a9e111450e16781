import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { type FeatureArtefacts, featurize } from '../../features/index.js';
import { applyCalibration, type Calibration } from '../calibrate.js';
import type { MlpConfigV1 } from '../format/mlp-v1.js';
import { toPrediction } from '../hashed/hashed-model.js';
import type { SeverityInput, SeverityModel, SeverityModelRef, SeverityPrediction } from '../severity.js';
import { type DenseLayer, denseForward } from './dense-stack.js';
import type { tfjs } from './tfjs-runtime.js';

type Tf = Awaited<ReturnType<typeof tfjs>>;

/**
 * The design's baseline: the 128-slot feature vector, standardised, through
 * the TF.js network 128 -> 64 ReLU (dropout 0.3) -> 32 ReLU (dropout 0.2) -> 5
 * softmax, then temperature scaling.
 */
export class MlpSeverityModel implements SeverityModel {
  readonly ref: SeverityModelRef;
  private disposed = false;

  /**
   * @param network the TF.js network (training: used as is), or its dense
   *   layers read out once (inference after loading: plain arithmetic, same function).
   */
  constructor(
    private readonly tf: Tf,
    private readonly network: LayersModel | readonly DenseLayer[],
    private readonly artefacts: FeatureArtefacts,
    private readonly config: MlpConfigV1,
    private readonly calibration: Calibration,
    ref: SeverityModelRef,
  ) {
    this.ref = Object.freeze({ ...ref });
  }

  /** The standardised 128-slot vector of a document. */
  vector(doc: SeverityInput): Float32Array {
    const published = doc.published === undefined ? Number.NaN : Date.parse(doc.published);
    const referenceTime = Number.isFinite(published) ? published : this.config.fallbackReferenceTime;
    const v = featurize(
      {
        text: doc.text,
        ...(doc.source === undefined ? {} : { source: doc.source }),
        ...(doc.published === undefined ? {} : { published: doc.published }),
      },
      { artefacts: this.artefacts, referenceTime },
    );
    const { mean, std } = this.config.standardize;
    for (let i = 0; i < v.length; i++) v[i] = ((v[i] as number) - (mean[i] ?? 0)) / (std[i] ?? 1);
    return v;
  }

  /** Uncalibrated probabilities of many documents. */
  rawBatch(docs: readonly SeverityInput[]): Float64Array[] {
    return this.rawVectors(docs.map((d) => this.vector(d)));
  }

  /** Uncalibrated probabilities of standardised vectors (as {@link vector} builds them). */
  rawVectors(vectors: readonly Float32Array[]): Float64Array[] {
    if (vectors.length === 0) return [];
    const net = this.network;
    if (Array.isArray(net)) return vectors.map((v) => denseForward(net as readonly DenseLayer[], v));
    const layers = net as LayersModel;
    const dim = this.config.standardize.mean.length;
    const flat = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => {
      flat.set(v, i * dim);
    });
    const probs = this.tf.tidy(() => {
      const out = layers.predict(this.tf.tensor2d(flat, [vectors.length, dim])) as Tensor;
      return out.dataSync() as Float32Array;
    });
    return vectors.map((_, i) => Float64Array.from(probs.subarray(i * 5, i * 5 + 5)));
  }

  /**
   * Calibrated probabilities of standardised vectors: what `predict` reports
   * for a document whose {@link vector} is the given one. Lets explanations
   * score altered vectors (feature-family Shapley values) in one call.
   */
  predictVectors(vectors: readonly Float32Array[]): number[][] {
    return this.rawVectors(vectors).map((p) => applyCalibration(p, this.calibration));
  }

  predict(doc: SeverityInput): SeverityPrediction {
    return this.predictBatch([doc])[0] as SeverityPrediction;
  }

  predictBatch(docs: readonly SeverityInput[]): SeverityPrediction[] {
    return this.rawBatch(docs).map((p) => toPrediction(applyCalibration(p, this.calibration), this.ref));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!Array.isArray(this.network)) (this.network as LayersModel).dispose();
  }
}
