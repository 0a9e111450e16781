import { AppError } from '../core/index.js';
import { argmax } from './family-shapley.js';
import { estimateShapley, MIN_EVALUATIONS } from './kernel-shap.js';
import { occlude, type TextUnit, textUnits, words } from './text-units.js';
import type { TextModel } from './vector-model.js';

/** Default budget of model calls per word explanation (full and empty text included). */
export const DEFAULT_TEXT_EVALUATIONS = 256;
/** Default most units (words, or phrases for long texts) a text is split into. */
export const DEFAULT_TEXT_UNITS = 64;
/** Upper limit of {@link TextShapleyOptions.maxEvaluations}: keeps one explanation's cost bounded. */
export const MAX_TEXT_EVALUATIONS = 8192;

/** Options of {@link explainText}; every field has a default. */
export interface TextShapleyOptions {
  /** Class whose probability is explained. Default: the most probable class of the full text. */
  classIndex?: number;
  /**
   * Most model calls, the full and the empty text included. Default
   * {@link DEFAULT_TEXT_EVALUATIONS}; at most {@link MAX_TEXT_EVALUATIONS}.
   * Texts with few enough units (2^units ≤ budget: 8 words at the default) get exact values.
   */
  maxEvaluations?: number;
  /**
   * Most units: texts with more words are split into runs of consecutive words
   * (phrases) so there are at most this many. Default {@link DEFAULT_TEXT_UNITS}, 1..256.
   */
  maxUnits?: number;
  /** Seed of the coalition sampler. Default 42. */
  seed?: number;
}

/** One unit's share of the prediction. */
export interface TextAttribution extends TextUnit {
  /** Shapley value: change in the explained probability this unit accounts for (may be negative). */
  value: number;
}

/** Word (or phrase) attributions of a text prediction. */
export interface TextExplanation {
  /** `exact-shapley-words` when every coalition was evaluated, else `kernel-shap-words`. */
  method: 'exact-shapley-words' | 'kernel-shap-words';
  /** `word` when each unit is one word; `phrase` when long texts were split into runs of words. */
  unit: 'word' | 'phrase';
  /** The explained class index. */
  classIndex: number;
  /** Probability of the class for the text with every unit removed. `baseValue + Σ value = prediction`. */
  baseValue: number;
  /** Probability of the class for the full text. */
  prediction: number;
  /** One entry per unit, in text order, with offsets into the given text. */
  attributions: TextAttribution[];
  /** Model calls made (distinct texts scored). */
  evaluations: number;
}

function optionInt(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `explainText: ${name} must be an integer in [${min}, ${max}], got ${v}`,
    );
  }
  return v;
}

function probabilities(model: TextModel, text: string): ArrayLike<number> {
  const p = model.predictProba(text);
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i]))
      throw new AppError('CS_ERR_INTERNAL', 'explainText: the model returned a non-finite probability');
  }
  return p;
}

/**
 * Which words (or, for long texts, runs of words) moved a text model's
 * probability of a class, with their offsets in `text`.
 *
 * A unit is removed by deleting it from the text (occlusion, see
 * `occlude`); a coalition's value is the model's probability of the class for
 * the text keeping only that coalition's units. Shapley values over the units:
 * exact for short texts, KernelSHAP otherwise, using at most `maxEvaluations`
 * calls of `model.predictProba` (texts that repeat are scored once). The
 * values plus `baseValue` add up to `prediction` (the efficiency constraint is
 * imposed exactly), whatever the budget; a larger budget only makes the split
 * between units more accurate.
 *
 * Cost: `maxEvaluations` model calls on texts up to the input's length.
 *
 * @throws AppError CS_ERR_VALIDATION for options out of range or a class the
 *   model does not have; CS_ERR_INTERNAL when the model returns non-finite numbers.
 */
export function explainText(
  model: TextModel,
  text: string,
  options: TextShapleyOptions = {},
): TextExplanation {
  if (typeof text !== 'string') throw new AppError('CS_ERR_VALIDATION', 'explainText: text must be a string');
  const maxEvaluations = optionInt(
    'maxEvaluations',
    options.maxEvaluations,
    DEFAULT_TEXT_EVALUATIONS,
    MIN_EVALUATIONS,
    MAX_TEXT_EVALUATIONS,
  );
  const maxUnits = optionInt('maxUnits', options.maxUnits, DEFAULT_TEXT_UNITS, 1, 256);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed))
    throw new AppError('CS_ERR_VALIDATION', `explainText: seed must be an integer, got ${seed}`);

  const full = probabilities(model, text);
  const classIndex = options.classIndex ?? argmax(full);
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < full.length)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `explainText: classIndex ${classIndex} is not one of the model's ${full.length} classes`,
    );
  }
  const units = textUnits(text, maxUnits);
  const unit = words(text).length > maxUnits ? 'phrase' : 'word';

  // Occluded texts can coincide (e.g. removing either of two adjacent equal words): score each once.
  const cache = new Map<string, number>([[text, full[classIndex]!]]);
  const value = (masks: readonly Uint8Array[]): number[] =>
    masks.map((mask) => {
      const t = occlude(text, units, mask);
      let v = cache.get(t);
      if (v === undefined) {
        v = probabilities(model, t)[classIndex]!;
        cache.set(t, v);
      }
      return v;
    });
  const est = estimateShapley(units.length, value, { maxEvaluations, seed });
  return {
    method: est.exact ? 'exact-shapley-words' : 'kernel-shap-words',
    unit,
    classIndex,
    baseValue: est.baseValue,
    prediction: est.fullValue,
    attributions: units.map((u, i) => ({ ...u, value: est.values[i]! })),
    evaluations: cache.size,
  };
}

/**
 * The `k` attributions with the largest absolute value, largest first (ties:
 * text order). What an analyst reads: the words that pushed the prediction
 * most, up or down.
 */
export function topAttributions<T extends { value: number; start: number }>(
  attributions: readonly T[],
  k: number,
): T[] {
  // A sorted buffer of the best k so far, filled by insertion: the result of
  // sorting everything (stably) and keeping k, without copying and sorting the
  // whole list (every default answer ranks each of its ~80 tokens).
  const limit = Math.max(0, Math.floor(k));
  const top: T[] = [];
  if (limit === 0) return top;
  for (const a of attributions) {
    // A new unit goes after every listed one it does not beat (stable, like the sort).
    let at = top.length;
    while (at > 0 && ranksBefore(a, top[at - 1]!)) at--;
    if (at >= limit) continue;
    top.splice(at, 0, a);
    if (top.length > limit) top.pop();
  }
  return top;
}

/** Whether `a` comes strictly before `b`: larger |value|, then earlier start. */
function ranksBefore(a: { value: number; start: number }, b: { value: number; start: number }): boolean {
  return (Math.abs(b.value) - Math.abs(a.value) || a.start - b.start) < 0;
}
