/**
 * Stored predictions: one row per answered prediction, with the model version
 * that produced it, so feedback, metrics and retraining can refer back to it.
 */

/** A prediction to store. Times are milliseconds since the Unix epoch. */
export interface NewPrediction {
  /** Unique id chosen by the caller (a UUID); what clients send back as `predictionId`. */
  id: string;
  /** When the prediction was answered (from the injected clock). */
  createdAt: number;
  /** The client's own id for the item, when it sent one. */
  itemId: string | null;
  /** The API key that asked, or null with authentication off. */
  apiKeyId: string | null;
  /** Model family, e.g. `hashed-ngram`. */
  modelFamily: string;
  /** Model version, from the model's manifest. */
  modelVersion: string;
  /** Predicted class. */
  severity: string;
  /** Class probabilities in the model's class order. */
  probabilities: readonly number[];
  /** Probability of `severity`. */
  confidence: number;
  /** Anomaly score in [0, 1], or null when the model has none. */
  anomalyScore: number | null;
  /** The (normalised) text that was scored. */
  text: string;
  /** SHA-256 (hex) of `text`; finds earlier predictions of the same text. */
  textSha256: string;
  source: string | null;
  /** Publication time as the client gave it (ISO 8601). */
  published: string | null;
  /** Time to answer, in milliseconds. */
  latencyMs: number;
  /** True when the answer came from the prediction cache. */
  cached: boolean;
  /** The rest of the answer (entities, techniques, explanation, recommendations) as JSON-safe data. */
  details: unknown;
}

/** A stored prediction as read back. */
export type StoredPrediction = NewPrediction;

/** Number of stored predictions of one class by one model version. */
export interface PredictionClassCount {
  modelFamily: string;
  modelVersion: string;
  severity: string;
  count: number;
}

/** Persistence of predictions. */
export interface PredictionRepository {
  /**
   * Stores predictions; resolves once they are durable. Concurrent calls are
   * committed together (group commit) so a busy server pays one sync per group
   * (SQLite: `synchronous=FULL`, on a writer thread so the sync does not block the event loop).
   * Rejects with CS_ERR_CONFLICT when an id already exists.
   */
  insert(records: readonly NewPrediction[]): Promise<void>;
  /** The prediction with this id, or undefined (never stored, or purged). */
  get(id: string): Promise<StoredPrediction | undefined>;
  /** The most recent prediction of the text with this SHA-256, or undefined. */
  latestByTextSha256(textSha256: string): Promise<StoredPrediction | undefined>;
  /** Stored predictions per model version and class (within the retention window). */
  classCounts(): Promise<PredictionClassCount[]>;
  /** Latencies (ms) of the `limit` most recent predictions of a model version, newest first. */
  recentLatencies(modelFamily: string, modelVersion: string, limit: number): Promise<number[]>;
  /**
   * Deletes predictions created before `cutoff` (ms since the epoch), in chunks
   * of `chunkSize` rows so no single transaction holds the store for long.
   * Feedback that referred to them keeps its copy of the text and model version.
   * `onDeleted` gets the ids of each deleted chunk once it is committed (to
   * forget derived records, e.g. knowledge-graph threats). Returns how many were deleted.
   */
  purgeOlderThan(
    cutoff: number,
    chunkSize?: number,
    onDeleted?: (ids: string[]) => Promise<void> | void,
  ): Promise<number>;
}
