import { AppError } from '../core/index.js';
import { type DenseLayer, forwardDense } from './dense-network.js';
import type { AnomalyManifestV1 } from './format.js';
import { levelOf } from './quantiles.js';
import { meanSquaredError, type Standardiser, standardise } from './standardiser.js';

/** Training vectors shipped with the model, for feature-family explanations (raw, not standardised). */
export interface AnomalyBackground {
  /** Mean of the vectors the network was fitted on. */
  mean: Float32Array;
  /** A seeded random sample of them. */
  rows: Float32Array[];
}

/** The parts of an anomaly score, for display and debugging. */
export interface AnomalyDetails {
  /** The score in [0, 1] (see {@link AnomalyModel.score}). */
  score: number;
  /** Mean squared reconstruction error in standardised units. */
  reconstructionError: number;
  /** Share of held-out training texts with a smaller reconstruction error. */
  errorLevel: number;
  /** L2 norm of the text-embedding slots, or null when the model does not use it. */
  coverage: number | null;
  /** Share of held-out training texts with less embedding mass (low = off-topic), or null. */
  coverageLevel: number | null;
}

/** The combined statistic behind the score: the larger of the error's level and the coverage's lower-tail level. */
export function combinedStatistic(errorLevel: number, coverageLevel: number | null): number {
  return coverageLevel === null ? errorLevel : Math.max(errorLevel, 1 - coverageLevel);
}

/** L2 norm of `vector[start..end)`. */
export function sliceNorm(vector: ArrayLike<number>, start: number, end: number): number {
  let s = 0;
  for (let j = start; j < end; j++) s += vector[j]! * vector[j]!;
  return Math.sqrt(s);
}

/**
 * A loaded anomaly model: how unlike the training data a feature vector is.
 * Scoring is synchronous plain-JavaScript arithmetic (no TF.js call), safe to
 * share across requests.
 */
export class AnomalyModel {
  /** The manifest it was built from. */
  readonly manifest: AnomalyManifestV1;
  /** Training vectors for explanations (see {@link AnomalyBackground}). */
  readonly background: AnomalyBackground;
  readonly #layers: readonly DenseLayer[];
  readonly #standardiser: Standardiser;

  /** Use `loadAnomalyModel` or `trainAnomalyModel`; this constructor trusts its (already checked) inputs. */
  constructor(manifest: AnomalyManifestV1, layers: readonly DenseLayer[]) {
    this.manifest = manifest;
    this.#layers = layers;
    this.#standardiser = {
      mean: Float64Array.from(manifest.standardiser.mean),
      std: Float64Array.from(manifest.standardiser.std),
      clip: manifest.standardiser.clip,
    };
    this.background = {
      mean: Float32Array.from(manifest.background.mean),
      rows: manifest.background.rows.map((r) => Float32Array.from(r)),
    };
  }

  /** Length of the vectors it scores (128 for the severity feature vector). */
  get dimension(): number {
    return this.manifest.dimension;
  }

  #check(vector: ArrayLike<number>): void {
    if (vector.length !== this.manifest.dimension) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Anomaly score: expected a vector of ${this.manifest.dimension} slots, got ${vector.length}`,
      );
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i]))
        throw new AppError('CS_ERR_VALIDATION', `Anomaly score: slot ${i} is not finite`);
    }
  }

  #error(vector: ArrayLike<number>): number {
    const z = standardise(this.#standardiser, vector);
    return meanSquaredError(z, forwardDense(this.#layers, z));
  }

  /**
   * Mean squared reconstruction error of `vector` in standardised units
   * (after per-slot standardisation and clipping).
   *
   * @throws AppError CS_ERR_VALIDATION when the vector has the wrong length or a non-finite value.
   */
  reconstructionError(vector: ArrayLike<number>): number {
    this.#check(vector);
    return this.#error(vector);
  }

  /**
   * The score and its parts. The reconstruction error's level among held-out
   * training texts is the main signal; the embedding coverage's lower-tail
   * level catches off-topic prose the autoencoder reconstructs well (see the
   * model README). The score is the level of the larger of the two among
   * held-out training texts.
   *
   * @throws AppError CS_ERR_VALIDATION as {@link reconstructionError}.
   */
  details(vector: ArrayLike<number>): AnomalyDetails {
    this.#check(vector);
    const m = this.manifest;
    const reconstructionError = this.#error(vector);
    const errorLevel = levelOf(m.errorQuantiles, reconstructionError);
    const coverage = m.coverage === null ? null : sliceNorm(vector, m.coverage.start, m.coverage.end);
    const coverageLevel =
      m.coverage === null || coverage === null ? null : levelOf(m.coverage.quantiles, coverage);
    const score = levelOf(m.scoreQuantiles, combinedStatistic(errorLevel, coverageLevel));
    return { score, reconstructionError, errorLevel, coverage, coverageLevel };
  }

  /**
   * The anomaly score of `vector`, in [0, 1]: its percentile among held-out
   * training texts (interpolated from stored quantile tables). About uniform
   * for training-like texts (median ≈ 0.5); 1 for anything stranger than every
   * held-out training text. Costs one small dense forward pass (tens of microseconds).
   *
   * @throws AppError CS_ERR_VALIDATION as {@link reconstructionError}.
   */
  score(vector: ArrayLike<number>): number {
    return this.details(vector).score;
  }

  /** {@link score} of each vector, in order. */
  scoreBatch(vectors: readonly ArrayLike<number>[]): number[] {
    return vectors.map((v) => this.score(v));
  }
}
