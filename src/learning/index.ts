/**
 * The self-learning loop: model registry, retraining jobs behind a promotion
 * gate (in process or on BullMQ), hot swap, canary and shadow experiments
 * with a significance test, drift, the review queue and source reputation.
 */

export {
  DRIFT_FEATURES_FILE,
  type DriftDocument,
  type DriftSupport,
  driftReferenceTime,
  driftVector,
  readDriftSupport,
  type WriteDriftReferenceOptions,
  writeDriftReference,
} from './drift/drift-files.js';
export { DriftMonitor, type DriftMonitorOptions } from './drift/drift-monitor.js';
export {
  type DriftReport,
  DriftReportSchema,
  FamilyDriftSchema,
  SlotKsSchema,
} from './drift/drift-report.js';
export { DriftTracker, type DriftTrackerOptions } from './drift/drift-tracker.js';
export { type KsResult, ksTwoSample } from './drift/ks.js';
export { populationStabilityIndex } from './drift/psi.js';
export {
  buildDriftReference,
  DRIFT_REFERENCE_FILE,
  type DriftReference,
  DriftReferenceV1Schema,
  parseDriftReference,
} from './drift/reference.js';
export {
  buildExperimentReport,
  type ExperimentReport,
  type ExperimentReportInput,
  ExperimentReportSchema,
} from './experiments/experiment-report.js';
export { ObservationBuffer, type ObservationBufferOptions } from './experiments/observation-buffer.js';
export { mcnemarExact, twoProportionZ } from './experiments/significance.js';
export {
  BullMqJobQueue,
  type BullMqSettings,
  type BullMqWorkerOptions,
  LEARNING_QUEUE,
  type RunningBullMqWorker,
  startBullMqWorker,
} from './jobs/bullmq-queue.js';
export { InProcessJobQueue, type InProcessJobQueueOptions } from './jobs/in-process-queue.js';
export type { JobQueue } from './jobs/job-queue.js';
export {
  type AttemptOutcome,
  type JobExecutor,
  JobRunner,
  type JobRunnerOptions,
  type ProgressReporter,
} from './jobs/job-runner.js';
export {
  assertRetrainSettings,
  RETRAIN_TRIGGERS,
  type RetrainPayload,
  RetrainPayloadSchema,
  type RetrainRequest,
  type RetrainTrigger,
  TrainingBusyError,
} from './jobs/retrain-request.js';
export {
  RETRAIN_FEEDBACK_CURSOR,
  RetrainTriggers,
  type RetrainTriggersOptions,
} from './jobs/retrain-triggers.js';
export {
  type ModelChangePreparer,
  ModelRegistry,
  type ModelRegistryOptions,
  PROMOTION_STATUSES,
  type PromotionStatus,
  prefixed,
  type ShippedRegistration,
} from './registry/model-registry.js';
export { jobView, versionView } from './registry/record-views.js';
export { type EnsureShippedOptions, ensureShippedRegistered } from './registry/shipped.js';
export {
  baseWeightsFromReputation,
  REPUTATION_CURSOR,
  ReputationLearner,
  type ReputationLearnerOptions,
  type ReputationStep,
} from './reputation/reputation-learner.js';
export { ChildProcessTrainer, serveTrainChild } from './retrain/child-trainer.js';
export {
  type FeedbackExample,
  type FeedbackInput,
  type FeedbackSelection,
  type FeedbackSelectionReport,
  selectFeedback,
  textKey,
} from './retrain/feedback-selection.js';
export { decideGate, type GateCheck, type GateDecision, type GateInput } from './retrain/gate.js';
export { RetrainJob, type RetrainJobDeps, type RetrainResult } from './retrain/retrain-job.js';
export { inlineTrainer, modelFigures, readHoldout, trainCandidate } from './retrain/train-candidate.js';
export {
  type CandidateTrainer,
  GATE_MIN_CLASS_SUPPORT,
  type ModelFigures,
  type TrainOutcome,
  type TrainProgress,
  type TrainSpec,
} from './retrain/train-spec.js';
export { newVersionName } from './retrain/version-name.js';
export {
  type ReviewItem,
  type ReviewListOptions,
  ReviewQueue,
  type ReviewRanking,
} from './review/review-queue.js';
export { margin, normalisedEntropy } from './review/uncertainty.js';
export {
  createLearningCore,
  defaultHoldoutPath,
  type LearningCore,
  type LearningCoreOptions,
  type LearningLogger,
  shippedModelDir,
} from './runtime.js';
export { type ModelEvents, RedisModelEvents } from './serving/model-events.js';
export {
  ModelRouter,
  type ModelRouterOptions,
  type RoutedModelInfo,
  routingBucket,
} from './serving/model-router.js';
export { ModelWatcher, type ModelWatcherOptions } from './serving/model-watcher.js';
export type {
  LoadedVariant,
  RoutableInput,
  ScoredOutput,
  SlotName,
  VariantPredictor,
} from './serving/variant.js';
export {
  type FeedbackSelectionSettings,
  type GateSettings,
  type LearningSettings,
  learningSettingsFrom,
  type PromotionTarget,
} from './settings.js';
