import { createRng, shuffleInPlace } from '../rng.js';
import { type LabelledUnit, normalizeForMatch, type TechniqueCorpus } from './corpus.js';

/**
 * The split by report: every report lies on exactly one side, so no evaluation
 * sentence has a sibling from the same report in training.
 */

/** Side of the split. */
export type SplitPart = 'train' | 'validation' | 'test';

/** Settings of {@link splitByReport}. */
export interface ReportSplitOptions {
  seed: number;
  /** Share of labelled spans that goes to validation (default 0.15). */
  validation?: number;
  /** Share of labelled spans that goes to test (default 0.15). */
  test?: number;
}

/** The split: the side of each report, and the units of each side. */
export interface ReportSplit {
  sideOfReport: Map<string, SplitPart>;
  train: LabelledUnit[];
  validation: LabelledUnit[];
  test: LabelledUnit[];
  /** Training units dropped because their text also occurs on the validation or test side. */
  droppedDuplicates: number;
}

/**
 * Shuffles the reports with `seed` and deals them out until validation and test
 * each hold about their share of the labelled TRAM spans; the rest is training.
 *
 * Units without a report (ATT&CK procedure examples, bootstrap sentences not found in
 * any annotated report) go to training only. A training unit whose normalised text equals
 * a validation or test unit is dropped, so the same text never sits on both sides.
 */
export function splitByReport(corpus: TechniqueCorpus, options: ReportSplitOptions): ReportSplit {
  const validationShare = options.validation ?? 0.15;
  const testShare = options.test ?? 0.15;
  const spansPerReport = new Map<string, number>(corpus.reports.map((r) => [r, 0]));
  let totalSpans = 0;
  for (const u of corpus.units) {
    if (u.source === 'tram-span' && u.report !== null) {
      spansPerReport.set(u.report, (spansPerReport.get(u.report) ?? 0) + 1);
      totalSpans++;
    }
  }
  const order = shuffleInPlace([...corpus.reports], createRng(options.seed));
  const sideOfReport = new Map<string, SplitPart>();
  let testSpans = 0;
  let validationSpans = 0;
  for (const report of order) {
    const n = spansPerReport.get(report) ?? 0;
    if (testSpans + n / 2 <= testShare * totalSpans) {
      sideOfReport.set(report, 'test');
      testSpans += n;
    } else if (validationSpans + n / 2 <= validationShare * totalSpans) {
      sideOfReport.set(report, 'validation');
      validationSpans += n;
    } else {
      sideOfReport.set(report, 'train');
    }
  }
  const parts: Record<SplitPart, LabelledUnit[]> = { train: [], validation: [], test: [] };
  for (const u of corpus.units)
    parts[u.report === null ? 'train' : (sideOfReport.get(u.report) ?? 'train')].push(u);
  const held = new Set([...parts.validation, ...parts.test].map((u) => normalizeForMatch(u.text)));
  const train = parts.train.filter((u) => !held.has(normalizeForMatch(u.text)));
  return {
    sideOfReport,
    train,
    validation: parts.validation,
    test: parts.test,
    droppedDuplicates: parts.train.length - train.length,
  };
}
