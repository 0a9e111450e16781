export { apiKeyId, type CreatedApiKey, createApiKey, hashApiKey, verifyApiKey } from './api-key-secret.js';
export { API_KEY_ROLES, type ApiKeyRecord, type ApiKeyRepository, type ApiKeyRole } from './api-keys.js';
export type { Store, StoreKind } from './contract.js';
export type { FeedbackAgreement, FeedbackRepository, NewFeedback, StoredFeedback } from './feedback.js';
export type { KeyValueCache } from './key-value-cache.js';
export { MemoryLruCache } from './memory-lru-cache.js';
export type { Migration } from './migrations.js';
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
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
