export {
  applyCalibration,
  type Calibration,
  calibrationOf,
  fitCalibration,
  fourClassObjective,
  IDENTITY_CALIBRATION,
} from './calibrate.js';
export { CVSS_HEAD_SIZES, metricIndices, severityFromMetricProbs } from './cvss-severity.js';
export { type DedupReport, dedupSplit, duplicateKey } from './data/dedup.js';
export {
  type CorpusOptions,
  type CorpusReport,
  LABELLING_FUNCTION_DESCRIPTIONS,
  loadSeverityCorpus,
  SEVERITY_DATA_FILES,
  type SeverityCorpus,
} from './data/severity-corpus.js';
export { FIXED_SPLIT, type SplitDocs, type SplitName, splitByTime, splitOf } from './data/split.js';
export {
  informationalVotes,
  LABELLING_FUNCTIONS,
  type LabellingFunction,
  type LfMeasurement,
  measureLabellingFunctions,
} from './data/weak-labels.js';
export { ENSEMBLE_FAMILY, ensembleFamily } from './ensemble/ensemble-family.js';
export { EnsembleSeverityModel, poolProbabilities } from './ensemble/ensemble-model.js';
export {
  ENSEMBLE_MEMBERS,
  type EnsembleTrainResult,
  trainEnsembleSeverity,
} from './ensemble/train-ensemble.js';
export {
  type CalibrationReport,
  calibrationReport,
  fitClassOffsets,
  fitTemperature,
  nllAt,
  type ReliabilityBin,
  softmaxT,
} from './eval/calibration.js';
export { evaluateSeverity, SELECTIVE_COVERAGES, type SeverityEvaluation } from './eval/evaluate.js';
export {
  type ClassificationReport,
  type ClassMetrics,
  classificationReport,
  selectiveAccuracy,
} from './eval/metrics.js';
export type { SeverityFamilyLoader } from './family.js';
export {
  CURRENT_MANIFEST_FORMAT,
  MANIFEST_FILE,
  type ModelManifest,
  parseManifest,
  readManifest,
} from './format/manifest.js';
export { type ManifestV1, ManifestV1Schema } from './format/manifest-v1.js';
export { readModelFile, writeModelDir } from './format/model-dir.js';
export {
  decodeHashedWeights,
  encodeHashedWeights,
  HASHED_FAMILY,
  hashedFamily,
} from './hashed/hashed-family.js';
export { combineHeads, HashedSeverityModel, toPrediction } from './hashed/hashed-model.js';
export { forward, type NetworkShape, type NetworkWeights } from './hashed/network.js';
export {
  type LeaveOneOut,
  leaveOneOutOcclusion,
  type OcclusionToken,
  removeToken,
} from './hashed/occlusion.js';
export { HASHED_FEATURES_VERSION, hashedFeatures, type SparseVector } from './hashed/text-features.js';
export { type NetworkExample, trainNetwork } from './hashed/train-network.js';
export { checkCompatible, loadSeverityModel } from './load-severity-model.js';
export { MLP_FAMILY, mlpFamily } from './mlp/mlp-family.js';
export { MlpSeverityModel } from './mlp/mlp-model.js';
export { DEFAULT_MLP_SETTINGS, type MlpTrainSettings, MlpTrainSettingsSchema } from './mlp/mlp-settings.js';
export { type MlpTrainResult, trainMlpSeverity } from './mlp/train-mlp.js';
export {
  loadRetrainBase,
  type RetrainBase,
  type RetrainInput,
  type RetrainOutput,
  retrainSettingsProblems,
  retrainSeverityModel,
  type WeightedDoc,
} from './retrain.js';
export { createRng, type Rng, shuffleInPlace } from './rng.js';
export {
  SEVERITY_CLASS_COUNT,
  SEVERITY_CLASSES,
  type SeverityClass,
  type SeverityInput,
  type SeverityModel,
  type SeverityModelRef,
  type SeverityPrediction,
} from './severity.js';
export { type CrossValidation, crossValidateHashed, type FoldResult } from './train/cross-validate.js';
export { DEFAULT_HASHED_SETTINGS } from './train/hashed-defaults.js';
export {
  flattenSettings,
  type HashedTrainSettings,
  HashedTrainSettingsSchema,
} from './train/hashed-settings.js';
export {
  classWeights,
  type EpochInfo,
  fitHashed,
  type HashedFit,
  hashedModelOf,
  inputOf,
} from './train/hashed-trainer.js';
export { applyOverrides } from './train/overrides.js';
export {
  calibratedFigures,
  type SeverityTrainResult,
  TRAINING_REPORT_FILE,
  type TrainHooks,
  trainHashedSeverity,
  validationRaw,
} from './train/train-hashed-severity.js';
export { trainingDataHash } from './train/training-data-hash.js';
