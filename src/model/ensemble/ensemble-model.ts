import { applyCalibration, type Calibration } from '../calibrate.js';
import type { EnsembleConfigV1 } from '../format/ensemble-v1.js';
import { toPrediction } from '../hashed/hashed-model.js';
import type { SeverityInput, SeverityModel, SeverityModelRef, SeverityPrediction } from '../severity.js';

/** Pools member probability vectors (each sums to 1) with the given weights. */
export function poolProbabilities(
  members: readonly (readonly number[])[],
  weights: readonly number[],
  pooling: EnsembleConfigV1['pooling'],
): number[] {
  const k = members[0]?.length ?? 0;
  const out = new Array<number>(k).fill(0);
  if (pooling === 'linear') {
    members.forEach((p, m) => {
      for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (weights[m] as number) * (p[c] as number);
    });
    return out;
  }
  members.forEach((p, m) => {
    for (let c = 0; c < k; c++)
      out[c] = (out[c] as number) + (weights[m] as number) * Math.log(Math.max(p[c] as number, 1e-9));
  });
  const max = Math.max(...out);
  const e = out.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** An ensemble: members' calibrated probabilities, pooled, then the ensemble's own calibration. */
export class EnsembleSeverityModel implements SeverityModel {
  readonly ref: SeverityModelRef;

  constructor(
    private readonly members: readonly SeverityModel[],
    private readonly config: EnsembleConfigV1,
    private readonly calibration: Calibration,
    ref: SeverityModelRef,
  ) {
    this.ref = Object.freeze({ ...ref });
  }

  /** Pooled probabilities before the ensemble's calibration. */
  pooledBatch(docs: readonly SeverityInput[]): number[][] {
    const perMember = this.members.map((m) => m.predictBatch(docs));
    const weights = this.config.members.map((m) => m.weight);
    return docs.map((_, i) =>
      poolProbabilities(
        perMember.map((preds) => (preds[i] as SeverityPrediction).probabilities),
        weights,
        this.config.pooling,
      ),
    );
  }

  predict(doc: SeverityInput): SeverityPrediction {
    return this.predictBatch([doc])[0] as SeverityPrediction;
  }

  predictBatch(docs: readonly SeverityInput[]): SeverityPrediction[] {
    return this.pooledBatch(docs).map((p) => toPrediction(applyCalibration(p, this.calibration), this.ref));
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}
