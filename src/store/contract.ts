import type { ApiKeyRepository } from './api-keys.js';
import type { ExperimentRepository } from './experiment-observations.js';
import type { FeedbackRepository } from './feedback.js';
import type { LearningJobRepository } from './learning-jobs.js';
import type { LearningStateRepository } from './learning-state.js';
import type { ModelRegistryRepository } from './model-registry.js';
import type { PredictionRepository } from './predictions.js';
import type { ReviewRepository } from './review-queue.js';

/**
 * The persistence contract. Every backend (embedded SQLite, PostgreSQL)
 * implements it and passes the one conformance suite in `conformance.ts`.
 *
 * Methods are async even where SQLite is synchronous, so callers never depend
 * on a backend's timing. Writes resolve only once they are durable
 * (committed, and for SQLite in WAL with `synchronous=FULL`).
 */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly kind: StoreKind;
  /** Resolves when the backend answers a trivial query; rejects with CS_ERR_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** The highest migration version applied. */
  schemaVersion(): Promise<number>;
  /** Releases connections and file handles, after committing queued writes. Idempotent. */
  close(): Promise<void>;
  /** Every answered prediction, with its model version. */
  readonly predictions: PredictionRepository;
  /** Analyst feedback, linked to predictions and model versions. */
  readonly feedback: FeedbackRepository;
  /** API key records (hashes and roles, never keys). */
  readonly apiKeys: ApiKeyRepository;
  /** Model versions, their status and its history (the model registry). */
  readonly models: ModelRegistryRepository;
  /** Records of retraining jobs. */
  readonly jobs: LearningJobRepository;
  /** Leases, feedback cursors and learned source reputations. */
  readonly learning: LearningStateRepository;
  /** Canary and shadow observations. */
  readonly experiments: ExperimentRepository;
  /** Unanswered predictions for the review queue. */
  readonly review: ReviewRepository;
}

/** Which backend a {@link Store} runs on. */
export type StoreKind = 'sqlite' | 'postgres';
