/**
 * Why a prediction came out as it did, and what to do about it.
 *
 * - Feature-family explanations: exact Shapley values over the eight families
 *   of the 128-slot vector, for any model offering {@link VectorModel}.
 * - Word explanations: Shapley values (exact for short texts, KernelSHAP
 *   otherwise) over word occlusion, for any model offering {@link TextModel}.
 * - Leave-one-out occlusion (`explainByOcclusion`): each word's own effect, one
 *   model call per unit; the cheap default of the request path.
 * - `explanationJson`: both as the JSON of a prediction answer's `explanation` field.
 * - Recommendations: severity action, CVEs with CISA KEV status, indicators to
 *   block or hunt for, technique mitigations; each with a stable kind and a reason.
 *
 * Pure: models, KEV lookup and techniques are passed in.
 */

export type { ExplanationJson } from './explanation-json.js';
export { explanationJson } from './explanation-json.js';
export type {
  FamilyExplanation,
  FamilyShapleyOptions,
  GroupAttribution,
  SlotGroup,
} from './family-shapley.js';
export { argmax, explainFamilies, FEATURE_FAMILY_GROUPS, MAX_SLOT_GROUPS } from './family-shapley.js';
export type { CoalitionValues, ShapleyEstimate, ShapleyEstimateOptions } from './kernel-shap.js';
export { estimateShapley, MIN_EVALUATIONS } from './kernel-shap.js';
export type { OcclusionAttribution, TextOcclusion } from './occlusion.js';
export { DEFAULT_OCCLUSION_UNITS, explainByOcclusion } from './occlusion.js';
export type {
  KevFactsForAdvice,
  KevLookup,
  MitigationInput,
  RecommendationInput,
  RecommendOptions,
  TechniqueInput,
} from './recommend.js';
export { recommend } from './recommend.js';
export type { Recommendation, RecommendationKind, RecommendationPriority } from './recommendation.js';
export { RECOMMENDATION_KINDS, RECOMMENDATION_PRIORITIES } from './recommendation.js';
export { shapleyFromCoalitionValues } from './shapley-weights.js';
export type { TextAttribution, TextExplanation, TextShapleyOptions } from './text-shapley.js';
export {
  DEFAULT_TEXT_EVALUATIONS,
  DEFAULT_TEXT_UNITS,
  explainText,
  MAX_TEXT_EVALUATIONS,
  topAttributions,
} from './text-shapley.js';
export type { TextUnit } from './text-units.js';
export { occlude, textUnits, words } from './text-units.js';
export type { TextModel, VectorModel } from './vector-model.js';
