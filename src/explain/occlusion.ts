import { AppError } from '../core/index.js';
import { argmax } from './family-shapley.js';
import { occlude, type TextUnit, textUnits, words } from './text-units.js';
import type { TextModel } from './vector-model.js';

/** Default most units of a generic leave-one-out explanation: one model call per unit, plus one. */
export const DEFAULT_OCCLUSION_UNITS = 12;

/** One unit's leave-one-out effect. */
export interface OcclusionAttribution extends TextUnit {
  /**
   * Probability of the explained class for the full text minus that for the
   * text without this unit: positive when the unit pushed the class up.
   */
  value: number;
}

/** Leave-one-out occlusion of a text prediction: how much each unit moved the explained class. */
export interface TextOcclusion {
  method: 'leave-one-out';
  /**
   * `token`: the model's own tokens (exact, incremental, hashed n-gram model);
   * `word`: each word; `phrase`: runs of words, when the text has more words than units allowed.
   */
  unit: 'token' | 'word' | 'phrase';
  /** The explained class index. */
  classIndex: number;
  /** Probability of the class for the full text. */
  prediction: number;
  /** One entry per unit, in text order, offsets into the given text. */
  attributions: OcclusionAttribution[];
  /** Full model predictions made (units + 1 for the generic path; fewer for incremental ones). */
  evaluations: number;
}

/**
 * Leave-one-out occlusion for any {@link TextModel}: the text is split into at
 * most `maxUnits` units (words, or runs of words for longer texts), each is
 * removed in turn (`occlude`) and the text re-scored. One model call per unit
 * plus one; cheap enough for the request path when `maxUnits` is small. The
 * values are not Shapley values: they do not add up to anything; they rank
 * which units the prediction depends on.
 *
 * @throws AppError CS_ERR_VALIDATION for `maxUnits` outside 1..256 or a class
 *   the model does not have.
 */
export function explainByOcclusion(
  model: TextModel,
  text: string,
  options: { classIndex?: number; maxUnits?: number } = {},
): TextOcclusion {
  const maxUnits = options.maxUnits ?? DEFAULT_OCCLUSION_UNITS;
  if (!Number.isInteger(maxUnits) || maxUnits < 1 || maxUnits > 256) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `explainByOcclusion: maxUnits must be in 1..256, got ${maxUnits}`,
    );
  }
  const full = model.predictProba(text);
  const classIndex = options.classIndex ?? argmax(full);
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < full.length)) {
    throw new AppError('CS_ERR_VALIDATION', `explainByOcclusion: classIndex ${classIndex} is not a class`);
  }
  const units = textUnits(text, maxUnits);
  const keep = new Uint8Array(units.length).fill(1);
  const p = full[classIndex]!;
  const attributions = units.map((u, i) => {
    keep[i] = 0;
    const without = model.predictProba(occlude(text, units, keep))[classIndex]!;
    keep[i] = 1;
    return { ...u, value: p - without };
  });
  return {
    method: 'leave-one-out',
    unit: words(text).length > maxUnits ? 'phrase' : 'word',
    classIndex,
    prediction: p,
    attributions,
    evaluations: units.length + 1,
  };
}
