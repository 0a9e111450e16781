/**
 * What the accuracy tools of bench/techniques share: the split by report of the shipped
 * settings, its validation sets, and scoring of validation rows at one threshold tuned on the
 * pooled spans and sentences (as the trainer tunes it). Never reads the test reports' figures.
 */
import type { TechniqueCorpus } from '../../src/attack/data/corpus.js';
import { hashDataFiles, loadTechniqueCorpus } from '../../src/attack/data/sources.js';
import { type ReportSplit, splitByReport } from '../../src/attack/data/split.js';
import { type EvaluationSets, evaluationSets } from '../../src/attack/eval-sets.js';
import type { TechniqueExample } from '../../src/attack/evaluate.js';
import { parseTrainingSettings, type TechniqueTrainingSettings } from '../../src/attack/settings.js';
import { microF1At, type ScoredRows, tuneGlobalThreshold } from '../../src/attack/thresholds.js';

/** The corpus, the shipped settings, their split by report and its validation sets. */
export interface ValidationSplit {
  corpus: TechniqueCorpus;
  settings: TechniqueTrainingSettings;
  split: ReportSplit;
  val: EvaluationSets;
}

/** Reads the corpus of `dataDir` (cached in `cacheDir`) and splits it as the shipped model was. */
export function loadValidationSplit(dataDir: string, cacheDir: string | undefined): ValidationSplit {
  const corpus = loadTechniqueCorpus(dataDir, hashDataFiles(dataDir).sha256, cacheDir);
  const settings = parseTrainingSettings({});
  const split = splitByReport(corpus, {
    seed: settings.splitSeed,
    validation: settings.validationShare,
    test: settings.testShare,
  });
  return { corpus, settings, split, val: evaluationSets(split, 'validation') };
}

/** Scores `examples` and maps their techniques to label indices. */
export function scoredRows(
  examples: readonly TechniqueExample[],
  labels: readonly string[],
  score: (text: string) => Float32Array,
): ScoredRows {
  const index = new Map(labels.map((l, i) => [l, i]));
  return {
    scores: examples.map((e) => score(e.text)),
    labels: examples.map((e) =>
      e.techniques.map((t) => index.get(t)).filter((i): i is number => i !== undefined),
    ),
  };
}

/** Validation figures at one threshold tuned on the pooled spans and sentences. */
export function pooledFigures(
  spans: ScoredRows,
  sentences: ScoredRows,
  techniques: number,
  maxPerSentence: number,
): { threshold: number; pooled: number; spans: number; sentences: number } {
  const pooled = {
    scores: [...spans.scores, ...sentences.scores],
    labels: [...spans.labels, ...sentences.labels],
  };
  const g = tuneGlobalThreshold(pooled, techniques, maxPerSentence);
  const th = new Float64Array(techniques).fill(g.threshold);
  return {
    threshold: g.threshold,
    pooled: +g.microF1.toFixed(4),
    spans: +microF1At(spans, th, maxPerSentence).toFixed(4),
    sentences: +microF1At(sentences, th, maxPerSentence).toFixed(4),
  };
}
