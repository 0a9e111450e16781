import type { LabelledUnit } from './data/corpus.js';
import type { ReportSplit } from './data/split.js';
import type { TechniqueExample } from './evaluate.js';

/**
 * The evaluation sets of one side of the split by report:
 * - `spans`: TRAM's analyst spans (the unit of TRAM's `single_label.json` and of MITRE's
 *   published figures), each describing at least one technique;
 * - `sentences`: every sentence of the side's annotated reports as our splitter cuts them,
 *   labelled with the techniques of the spans they overlap, so most describe none.
 *   Sentences that overlap only spans of techniques outside the label space are left out
 *   (they describe a technique, but not one the labels can name).
 */
export interface EvaluationSets {
  spans: TechniqueExample[];
  sentences: TechniqueExample[];
}

function asExample(u: LabelledUnit): TechniqueExample {
  return { text: u.text, techniques: [...u.techniques] };
}

/** The evaluation sets of `part` of `split`. */
export function evaluationSets(split: ReportSplit, part: 'validation' | 'test'): EvaluationSets {
  const units = split[part];
  return {
    spans: units.filter((u) => u.source === 'tram-span' && u.techniques.length > 0).map(asExample),
    sentences: units.filter((u) => u.source === 'report-sentence' && !u.outside).map(asExample),
  };
}
