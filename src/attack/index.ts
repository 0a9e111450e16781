/**
 * ATT&CK technique mapping: a model that maps sentences to Enterprise ATT&CK
 * techniques and groups them per document, its training on MITRE TRAM data and
 * ATT&CK procedure examples, and its evaluation.
 */

export type { EvaluationSets } from './eval-sets.js';
export { rebuildEvaluationSets } from './eval-split.js';
export type { SkippedExample, TechniqueExample } from './evaluate.js';
export { evaluateTechniqueModel, readTechniqueExamples, TechniqueExampleSchema } from './evaluate.js';
export type { TechniqueManifest } from './manifest.js';
export { TECHNIQUE_MANIFEST_VERSION, TECHNIQUE_MODEL_FAMILY } from './manifest.js';
export type { TechniqueEvaluation, TechniqueScore } from './metrics.js';
export { evaluateTechniques } from './metrics.js';
export type { SentenceSpan } from './sentences.js';
export { splitSentences } from './sentences.js';
export type { TechniqueTrainingSettings } from './settings.js';
export { DEFAULT_TRAINING_SETTINGS, parseTrainingSettings } from './settings.js';
export { alignToDepth, isTechniqueId, parentTechnique } from './technique-id.js';
export type {
  DocumentMapping,
  DocumentTechnique,
  SentenceTechnique,
  SupportingSentence,
  TechniqueModel,
} from './technique-model.js';
export { loadTechniqueModel, readTechniqueManifest } from './technique-model.js';
export type { TechniqueTrainingResult, TechniqueTrainingRun } from './train-run.js';
export { runTechniqueTraining } from './train-run.js';
