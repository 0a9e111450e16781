import {
  explainByOcclusion,
  explainFamilies,
  explainText,
  explanationJson,
  type FamilyExplanation,
  type TextExplanation,
  type TextModel,
  type TextOcclusion,
} from '../explain/index.js';
import type { ExplainLevel, Explanation } from '../http/index.js';
import {
  HashedSeverityModel,
  leaveOneOutOcclusion,
  MlpSeverityModel,
  SEVERITY_CLASSES,
  type SeverityInput,
  type SeverityModel,
  type SeverityPrediction,
} from '../model/index.js';

/** Words listed in an explanation. */
export const EXPLANATION_TOP_WORDS = 10;

/** Units of the generic (re-predicting) leave-one-out path: one model call each. */
const GENERIC_OCCLUSION_UNITS = 8;

/** The model as a {@link TextModel}: only the text varies, source and publication time stay the request's. */
function textModelOf(model: SeverityModel, doc: SeverityInput): TextModel {
  return { predictProba: (text) => model.predict({ ...doc, text }).probabilities };
}

/**
 * Leave-one-out word attributions: exact and incremental on the hashed
 * n-gram model's own tokens (about the cost of one prediction), else by
 * re-predicting the text without each of up to 8 words or phrases.
 */
function occlusionOf(
  model: SeverityModel,
  doc: SeverityInput,
  prediction: SeverityPrediction,
  classIndex: number,
): TextOcclusion {
  if (model instanceof HashedSeverityModel) {
    const loo = leaveOneOutOcclusion(model, doc, prediction.probabilities);
    if (loo !== undefined) {
      const p = loo.full[classIndex]!;
      return {
        method: 'leave-one-out',
        unit: 'token',
        classIndex,
        prediction: p,
        // An explicit literal (same keys, same order) rather than a spread: one per token of every answer.
        attributions: loo.tokens.map((t, i) => ({
          text: t.text,
          start: t.start,
          end: t.end,
          value: p - loo.without[i]![classIndex]!,
        })),
        evaluations: 1 + loo.fullPredictions,
      };
    }
  }
  return explainByOcclusion(textModelOf(model, doc), doc.text, {
    classIndex,
    maxUnits: GENERIC_OCCLUSION_UNITS,
  });
}

/**
 * Exact Shapley values of the eight feature families for a 128-slot vector
 * model, against the training mean (the zero vector once standardised): one
 * batched call of 256 vectors.
 */
function familiesOf(
  model: SeverityModel,
  doc: SeverityInput,
  classIndex: number,
): FamilyExplanation | undefined {
  if (!(model instanceof MlpSeverityModel)) return undefined;
  const vector = model.vector(doc);
  return explainFamilies(model, vector, [new Float32Array(vector.length)], { classIndex });
}

/**
 * The `explanation` of a prediction at the asked level, for the predicted class:
 *
 * - `none`: null.
 * - `words`: leave-one-out occlusion of the words (see {@link occlusionOf}).
 *   Family values are left to `shapley`: on the MLP baseline they cost about
 *   10 ms (256 vector predictions), more than the words.
 * - `shapley`: word Shapley values (`explainText`: exact up to 8 words, else
 *   KernelSHAP with its default 256 model calls), additive:
 *   `baseValue + Σ values = prediction`; plus the family values for vector models.
 *
 * `prediction` is the model's answer for `doc` (computed by the caller).
 */
export function explainPrediction(
  model: SeverityModel,
  doc: SeverityInput,
  prediction: SeverityPrediction,
  level: ExplainLevel,
): Explanation {
  if (level === 'none') return null;
  const classIndex = Math.max(0, SEVERITY_CLASSES.indexOf(prediction.severity));
  const words: TextExplanation | TextOcclusion =
    level === 'shapley'
      ? explainText(textModelOf(model, doc), doc.text, { classIndex })
      : occlusionOf(model, doc, prediction, classIndex);
  const families = level === 'shapley' ? familiesOf(model, doc, classIndex) : undefined;
  return {
    level,
    ...explanationJson(families === undefined ? { words } : { words, families }, EXPLANATION_TOP_WORDS),
  };
}
