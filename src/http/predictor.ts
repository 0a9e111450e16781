import type { ModelRef, Severity } from './schemas/common.js';
import type {
  Entities,
  ExplainLevel,
  Explanation,
  Probabilities,
  Recommendation,
  Technique,
} from './schemas/predict.js';

/** What the predictor reads: the normalised text and optional context. */
export interface PredictorInput {
  text: string;
  source?: string;
  /** ISO 8601. */
  published?: string;
  /**
   * Sticky experiment routing: the client's item id, else the API key id. Requests with the same key
   * go to the same model variant (canary or active). Not part of the cache key; never scored.
   */
  routingKey?: string;
  /** How much explanation to compute; default `words` (see `ExplainLevelSchema`). Part of the cache key. */
  explain?: ExplainLevel;
}

/** Everything a prediction answer holds besides the request-specific fields (id, latency, cache flag). */
export interface PredictorOutput {
  model: ModelRef;
  severity: Severity;
  /** All five classes, summing to 1. */
  probabilities: Probabilities;
  /** Probability of `severity`. */
  confidence: number;
  /** 0..1 (percentile of the text's strangeness among training texts), or null when no anomaly model is installed. */
  anomalyScore: number | null;
  /** The extraction output with warninglist flags; offsets refer to the input text. */
  entities: Entities;
  /** ATT&CK techniques; empty until a technique model is wired. */
  techniques: Technique[];
  /** Attributions, or null when `explain` is `none` (or the model gives none). */
  explanation: Explanation;
  recommendations: Recommendation[];
}

/** A model version the predictor knows, with the figures its manifest records. */
export interface ModelInfo {
  family: string;
  version: string;
  /** True for the version that answers requests now. */
  active: boolean;
  /** Evaluation figures from the manifest (e.g. macro-F1, accuracy), or null when it has none. */
  holdout: Record<string, number> | null;
}

/**
 * The narrow interface the routes need from the model side. `src/main` builds
 * the real one by composing extraction, the severity model, technique mapping
 * and (later) explanation and anomaly scoring; tests use a small fake.
 */
export interface Predictor {
  /** The model that answers now, or undefined when none is loaded (then /ready is 503). */
  current(): ModelRef | undefined;
  /**
   * Scores one input. May throw AppError CS_ERR_MODEL_NOT_LOADED; must not
   * throw for any text the request schema accepts.
   */
  predict(input: PredictorInput): PredictorOutput | Promise<PredictorOutput>;
  /** Known model versions with their manifest figures (for GET /api/v1/metrics). */
  models(): readonly ModelInfo[];
  /**
   * The model that would answer this input (a canary for part of the traffic); used for the cache
   * key so a canary's request never gets the active model's cached answer. Absent: `current()`.
   */
  modelFor?(input: PredictorInput): ModelRef | undefined;
}
