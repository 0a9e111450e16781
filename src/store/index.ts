export {
  API_KEY_NAME_PATTERN,
  apiKeyId,
  type CreatedApiKey,
  createApiKey,
  hashApiKey,
  verifyApiKey,
} from './api-key-secret.js';
export { API_KEY_ROLES, type ApiKeyRecord, type ApiKeyRepository, type ApiKeyRole } from './api-keys.js';
export type { Store, StoreKind } from './contract.js';
export type {
  ExperimentObservation,
  ExperimentRepository,
  ExperimentRole,
  LabelledObservation,
} from './experiment-observations.js';
export type { FeedbackAgreement, FeedbackRepository, NewFeedback, StoredFeedback } from './feedback.js';
export type { KeyValueCache } from './key-value-cache.js';
export {
  JOB_STATUSES,
  type JobStatus,
  type LearningJobPatch,
  type LearningJobRepository,
  type NewLearningJob,
  type StoredLearningJob,
} from './learning-jobs.js';
export type {
  FeedbackPosition,
  LearningCursor,
  LearningStateRepository,
  StoredReputation,
} from './learning-state.js';
export { MemoryLruCache } from './memory-lru-cache.js';
export type { Migration } from './migrations.js';
export {
  MODEL_STATUSES,
  type ModelRegistryRepository,
  type ModelStatus,
  type ModelStatusChange,
  type ModelTransition,
  type ModelTransitionResult,
  type NewModelVersion,
  SINGLETON_STATUSES,
  type StoredModelVersion,
} from './model-registry.js';
export { openStore } from './open.js';
export { openPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export type {
  NewPrediction,
  PredictionClassCount,
  PredictionRepository,
  StoredPrediction,
} from './predictions.js';
export { RedisCache } from './redis-cache.js';
export {
  type IntervalTimer,
  type RetentionOptions,
  type RetentionPurge,
  startRetentionPurge,
  systemIntervalTimer,
} from './retention.js';
export type { ReviewRepository, UnansweredPrediction } from './review-queue.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
