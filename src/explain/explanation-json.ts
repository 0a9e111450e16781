import { SEVERITY_CLASSES } from '../ingest/index.js';
import type { FamilyExplanation } from './family-shapley.js';
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
  /** Word (or phrase) Shapley values, when computed: the strongest `top` units, largest |value| first. */
  words?: {
    method: TextExplanation['method'];
    unit: TextExplanation['unit'];
    baseValue: number;
    prediction: number;
    modelCalls: number;
    /** Units in the text (the attributions not listed sum to `prediction - baseValue - Σ top`). */
    units: number;
    top: { text: string; start: number; end: number; value: number }[];
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Shapes explanations into the JSON a prediction answer carries. Give either
 * or both; when both are given they must explain the same class.
 *
 * @param topWords how many words to list (default 10).
 * @throws RangeError when neither is given or they explain different classes (a wiring mistake).
 */
export function explanationJson(
  parts: { families?: FamilyExplanation; words?: TextExplanation },
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
    out.words = {
      method: words.method,
      unit: words.unit,
      baseValue: round(words.baseValue),
      prediction: round(words.prediction),
      modelCalls: words.evaluations,
      units: words.attributions.length,
      top: topAttributions(words.attributions, topWords).map((a) => ({
        text: a.text,
        start: a.start,
        end: a.end,
        value: round(a.value),
      })),
    };
  }
  return out;
}
