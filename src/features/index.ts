/**
 * The 128-slot feature vector: its spec, the fitted artefacts (TF-IDF
 * vocabulary, LSA projection, source table) and `featurize`. Pure: no I/O, no
 * clock; artefacts and the reference time are passed in.
 */

export type { FeatureArtefacts, FitSettings } from './artefacts.js';
export {
  CURRENT_ARTEFACTS_FORMAT,
  FEATURES_FILE,
  fromFeatureArtefactsFile,
  parseFeatureArtefacts,
  serializeFeatureArtefacts,
  toFeatureArtefactsFile,
  withSourcePriors,
} from './artefacts.js';
export type { FeatureArtefactsV1 } from './artefacts-format.js';
export { FeatureArtefactsV1Schema } from './artefacts-format.js';
export { cvssBaseScoreFromText } from './cvss.js';
export type { ExplainedSlot } from './explain.js';
export { explainVector } from './explain.js';
export type { FeatureDocument, FeaturizeContext } from './featurize.js';
export { featurize } from './featurize.js';
export type { CorpusDocument, FitOptions } from './fit.js';
export { fitFeatureArtefacts } from './fit.js';
export type { FeatureFamily, FeatureSlot } from './slot.js';
export { FEATURE_FAMILIES } from './slot.js';
export type { SourcePrior, SourceTable } from './source.js';
export {
  DEFAULT_REPUTATION_FLOOR,
  DEFAULT_REPUTATION_RATE,
  DEFAULT_SOURCE_REPUTATION,
  sourceKey,
  updateSourceReputation,
} from './source.js';
export type { FeatureSpec } from './spec.js';
export {
  EMBEDDING_DIMENSIONS,
  FAMILY_SLOTS,
  FEATURE_DIMENSION,
  FEATURE_SPEC,
  FEATURE_SPEC_VERSION,
} from './spec.js';
export type { PublicationTime } from './temporal.js';
export { parsePublished } from './temporal.js';
