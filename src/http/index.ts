export { type ApiSettings, type AppDeps, buildApp, DEFAULT_API_SETTINGS } from './app.js';
export type { Principal } from './auth.js';
export type { Enricher, EnrichQuery, PredictionForGraph, ThreatRecorder } from './enricher.js';
export type { LearningHttpDeps } from './learning-deps.js';
export { type LearningGaugeSources, LearningMetrics } from './learning-metrics.js';
export { ServiceMetrics } from './metrics.js';
export { LEARNING_METRICS, METRIC_PREFIX, METRICS } from './metrics-names.js';
export { normaliseText, sha256Hex } from './normalise-text.js';
export type { ModelInfo, Predictor, PredictorInput, PredictorOutput } from './predictor.js';
export type { Problem } from './problem.js';
export type { ModelRef, Severity } from './schemas/common.js';
export { TEXT_MAX_CHARS } from './schemas/common.js';
export type {
  BatchEntry,
  Entities,
  ExplainLevel,
  Explanation,
  PredictItem,
  Prediction,
  Probabilities,
  Recommendation,
  Technique,
} from './schemas/predict.js';
export { ExplainLevelSchema, PredictionSchema } from './schemas/predict.js';
