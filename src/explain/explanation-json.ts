import { SEVERITY_CLASSES } from '../ingest/index.js';
import type { FamilyExplanation } from './family-shapley.js';
import type { TextOcclusion } from './occlusion.js';
import type { TextExplanation } from './text-shapley.js';
import { topAttributions } from './text-shapley.js';

/** The `explanation` field of a prediction answer: plain JSON, numbers rounded to 6 decimals. */
export interface ExplanationJson {
  /** The explained class (severity class name when the model has the five severity classes, else its index). */
  explainedClass: string;
  /** Feature-family Shapley values, when computed. */
  families?: {
    method: FamilyExplanation['method'];
    baseValue: number;
    prediction: number;
    backgroundRows: number;
    /** In slot order; `value` is the family's share of `prediction - baseValue`. */
    values: { family: string; slots: [number, number]; value: number }[];
  };
  /**
   * Word (or phrase, or model token) attributions, when computed: the strongest
   * `top` units, largest |value| first. Shapley methods add up:
   * `baseValue + Σ top.value + otherValue = prediction`; leave-one-out values
   * (`method: leave-one-out`) are each unit's own effect and have no base value.
   */
  words?: {
    method: TextExplanation['method'] | TextOcclusion['method'];
    unit: TextExplanation['unit'] | TextOcclusion['unit'];
    /** Shapley methods only: probability of the class with every unit removed. */
    baseValue?: number;
    prediction: number;
    modelCalls: number;
    /** Units in the text. */
    units: number;
    /** Shapley methods only: sum of the values of the units not listed in `top`. */
    otherValue?: number;
    top: { text: string; start: number; end: number; value: number }[];
  };
}

// `|| 0` turns -0 into 0, so the JSON round trip gives the same object.
const round = (x: number): number => Math.round(x * 1e6) / 1e6 || 0;

/**
 * Shapes explanations into the JSON a prediction answer carries. Give a
 * family explanation, a word explanation (Shapley or leave-one-out), or both;
 * when both are given they must explain the same class.
 *
 * @param topWords how many words to list (default 10).
 * @throws RangeError when neither is given or they explain different classes (a wiring mistake).
 */
export function explanationJson(
  parts: { families?: FamilyExplanation; words?: TextExplanation | TextOcclusion },
  topWords = 10,
): ExplanationJson {
  const { families, words } = parts;
  const classIndex = families?.classIndex ?? words?.classIndex;
  if (classIndex === undefined) throw new RangeError('explanationJson needs a family or a word explanation');
  if (families !== undefined && words !== undefined && families.classIndex !== words.classIndex) {
    throw new RangeError(
      `The family explanation is of class ${families.classIndex}, the word one of ${words.classIndex}`,
    );
  }
  const out: ExplanationJson = { explainedClass: SEVERITY_CLASSES[classIndex] ?? String(classIndex) };
  if (families !== undefined) {
    out.families = {
      method: families.method,
      baseValue: round(families.baseValue),
      prediction: round(families.prediction),
      backgroundRows: families.backgroundRows,
      values: families.attributions.map((a) => ({
        family: a.name,
        slots: [a.start, a.end],
        value: round(a.value),
      })),
    };
  }
  if (words !== undefined) {
    const top = topAttributions(words.attributions, topWords);
    const json: NonNullable<ExplanationJson['words']> = {
      method: words.method,
      unit: words.unit,
      prediction: round(words.prediction),
      modelCalls: words.evaluations,
      units: words.attributions.length,
      top: top.map((a) => ({ text: a.text, start: a.start, end: a.end, value: round(a.value) })),
    };
    if ('baseValue' in words) {
      json.baseValue = round(words.baseValue);
      const listed = top.reduce((sum, a) => sum + round(a.value), 0);
      // What the unlisted units add, so the listed, rounded figures still add up.
      json.otherValue = round(round(words.prediction) - round(words.baseValue) - listed);
    }
    out.words = json;
  }
  return out;
}
