import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainBaseline } from './baseline.js';
import { fitClassifier } from './classifier.js';
import { type LabelledUnit, normalizeForMatch, type TechniqueCorpus } from './data/corpus.js';
import { hashDataFiles, loadTechniqueCorpus } from './data/sources.js';
import { type ReportSplit, splitByReport } from './data/split.js';
import { type EvaluationSets, evaluationSets } from './eval-sets.js';
import type { TechniqueExample } from './evaluate.js';
import { type CalibrationFigures, renderEvaluationReport } from './evaluation-report.js';
import { TECHNIQUE_MANIFEST_VERSION, TECHNIQUE_MODEL_FAMILY, type TechniqueManifest } from './manifest.js';
import { evaluateTechniques, type TechniqueEvaluation } from './metrics.js';
import { createRng, shuffleInPlace } from './rng.js';
import { parseTrainingSettings, type TechniqueTrainingSettings } from './settings.js';
import { createTechniqueModel, saveTechniqueModel } from './technique-model.js';
import { decide, type ScoredRows, tuneGlobalThreshold, tunePerTechniqueThresholds } from './thresholds.js';

/**
 * One complete training run: read the data, split by report, train the model and
 * the TF-IDF baseline on the training reports, tune thresholds on validation, score
 * both on the test reports, and write the model directory with its EVALUATION.md.
 */

/** Inputs of {@link runTechniqueTraining}. */
export interface TechniqueTrainingRun {
  /** The shared data folder (holds `tram/` and `attack/`). */
  dataDir: string;
  /** The model directory to write. */
  out: string;
  /** Training seed (the split has its own, `splitSeed`). */
  seed: number;
  /** `--set` overrides of {@link TechniqueTrainingSettings}. */
  settings: Readonly<Record<string, string>>;
  /** Time written into the manifest. */
  now: Date;
  /** Where to cache the parsed corpus between runs (optional). */
  cacheDir?: string;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
}

/** Evaluation names in the manifest and the report. */
export type EvaluationName = 'validation-spans' | 'validation-sentences' | 'test-spans' | 'test-sentences';

/** What a run measured. */
export interface TechniqueTrainingResult {
  manifest: TechniqueManifest;
  model: Record<EvaluationName, TechniqueEvaluation>;
  baseline: Record<EvaluationName, TechniqueEvaluation>;
  calibration: CalibrationFigures;
}

type Scorer = (text: string) => Float32Array;

function rowsOf(examples: readonly TechniqueExample[], labels: readonly string[], score: Scorer): ScoredRows {
  const index = new Map(labels.map((l, i) => [l, i]));
  return {
    scores: examples.map((e) => score(e.text)),
    labels: examples.map((e) =>
      e.techniques.map((t) => index.get(t)).filter((i): i is number => i !== undefined),
    ),
  };
}

function pooled(a: ScoredRows, b: ScoredRows): ScoredRows {
  return { scores: [...a.scores, ...b.scores], labels: [...a.labels, ...b.labels] };
}

function evaluateRows(
  examples: readonly TechniqueExample[],
  rows: ScoredRows,
  labels: readonly string[],
  thresholds: ArrayLike<number>,
  maxPerSentence: number,
): TechniqueEvaluation {
  return evaluateTechniques(
    examples.map((e, i) => ({
      gold: e.techniques,
      predicted: decide(rows.scores[i] as ArrayLike<number>, thresholds, maxPerSentence).map(
        (k) => labels[k] as string,
      ),
    })),
  );
}

/**
 * Tunes the thresholds on validation with `scorers.validation` and scores the test sets with
 * `scorers.test` at those thresholds (the same scorer, or the refit on training and validation).
 */
function evaluateAll(
  sets: { validation: EvaluationSets; test: EvaluationSets },
  labels: readonly string[],
  scorers: { validation: Scorer; test: Scorer },
  settings: TechniqueTrainingSettings,
  tuning: 'global' | 'per-technique',
): {
  figures: Record<EvaluationName, TechniqueEvaluation>;
  thresholds: Float64Array;
  globalThreshold: number;
} {
  const K = labels.length;
  const rows = {
    'validation-spans': rowsOf(sets.validation.spans, labels, scorers.validation),
    'validation-sentences': rowsOf(sets.validation.sentences, labels, scorers.validation),
    'test-spans': rowsOf(sets.test.spans, labels, scorers.test),
    'test-sentences': rowsOf(sets.test.sentences, labels, scorers.test),
  };
  // Thresholds see validation only: spans and sentences pooled, so that one setting serves
  // both text that is known to describe techniques and whole reports.
  const validation = pooled(rows['validation-spans'], rows['validation-sentences']);
  const global = tuneGlobalThreshold(validation, K, settings.maxPerSentence);
  const thresholds =
    tuning === 'global'
      ? new Float64Array(K).fill(global.threshold)
      : tunePerTechniqueThresholds(validation, global.threshold, K, settings.minThresholdSupport);
  const examples = {
    'validation-spans': sets.validation.spans,
    'validation-sentences': sets.validation.sentences,
    'test-spans': sets.test.spans,
    'test-sentences': sets.test.sentences,
  };
  const figures = {} as Record<EvaluationName, TechniqueEvaluation>;
  for (const name of Object.keys(rows) as EvaluationName[]) {
    figures[name] = evaluateRows(examples[name], rows[name], labels, thresholds, settings.maxPerSentence);
  }
  return { figures, thresholds, globalThreshold: global.threshold };
}

/**
 * MITRE's setting, for calibration: TRAM's single-label spans split at random by
 * sentence (80/20, seeded), trained on spans only, one label per sentence (top-1).
 */
function calibrate(
  corpus: TechniqueCorpus,
  settings: TechniqueTrainingSettings,
  seed: number,
  log: (line: string) => void,
): CalibrationFigures {
  const spans = corpus.units.filter((u) => u.source === 'tram-span' && u.techniques.length > 0);
  const order = shuffleInPlace([...spans], createRng(seed ^ 0x5eed));
  const cut = Math.round(order.length * 0.8);
  const train = order.slice(0, cut);
  const test = order.slice(cut);
  const spanOnly: TechniqueTrainingSettings = { ...settings, negativeWeight: 0, outsideWeight: 0 };
  const top1 = (score: Scorer) =>
    evaluateTechniques(
      test.map((u) => {
        const s = score(u.text);
        let best = 0;
        for (let k = 1; k < s.length; k++) if ((s[k] as number) > (s[best] as number)) best = k;
        return { gold: u.techniques, predicted: [corpus.labels[best] as string] };
      }),
    );
  log(`calibration: sentence-level split of TRAM spans, ${train.length} train / ${test.length} test`);
  const ours = top1(fitClassifier(train, corpus.labels, spanOnly, seed).score);
  const baseline = top1(trainBaseline(train, corpus.labels, spanOnly, seed).score);
  return { train: train.length, test: test.length, model: ours, baseline };
}

function counts(split: ReportSplit): Record<string, number> {
  const out: Record<string, number> = {};
  const sides = { train: 0, validation: 0, test: 0 };
  for (const s of split.sideOfReport.values()) sides[s]++;
  for (const [k, v] of Object.entries(sides)) out[`reports.${k}`] = v;
  for (const part of ['train', 'validation', 'test'] as const) {
    for (const u of split[part]) {
      const kind = u.techniques.length > 0 ? 'positive' : u.outside ? 'outside' : 'negative';
      const key = `${part}.${u.source}.${kind}`;
      out[key] = (out[key] ?? 0) + 1;
    }
  }
  out['train.droppedDuplicates'] = split.droppedDuplicates;
  return out;
}

/**
 * The units of the refit: training and validation together, without any validation text
 * that also occurs on the test side (as the split already does for training texts).
 */
function refitUnitsOf(split: ReportSplit): LabelledUnit[] {
  const test = new Set(split.test.map((u) => normalizeForMatch(u.text)));
  return [...split.train, ...split.validation.filter((u) => !test.has(normalizeForMatch(u.text)))];
}

/** Runs the whole training and writes `run.out`. Progress goes to `run.log`. */
export function runTechniqueTraining(run: TechniqueTrainingRun): TechniqueTrainingResult {
  const settings = parseTrainingSettings(run.settings);
  const { log } = run;
  log(`techniques: hashing the input files in ${run.dataDir}`);
  const data = hashDataFiles(run.dataDir);
  log('techniques: building the corpus (TRAM spans, report sentences, bootstrap, ATT&CK procedures)');
  const corpus = loadTechniqueCorpus(run.dataDir, data.sha256, run.cacheDir);
  const split = splitByReport(corpus, {
    seed: settings.splitSeed,
    validation: settings.validationShare,
    test: settings.testShare,
  });
  const sets = { validation: evaluationSets(split, 'validation'), test: evaluationSets(split, 'test') };
  log(
    `techniques: split by report: ${split.train.length} training units, ` +
      `validation ${sets.validation.spans.length} spans / ${sets.validation.sentences.length} sentences, ` +
      `test ${sets.test.spans.length} spans / ${sets.test.sentences.length} sentences`,
  );
  const refitUnits = settings.refit ? refitUnitsOf(split) : split.train;
  const first = fitClassifier(split.train, corpus.labels, settings, run.seed, log);
  if (settings.refit) log(`techniques: refit on ${refitUnits.length} training and validation units`);
  const classifier = settings.refit
    ? fitClassifier(refitUnits, corpus.labels, settings, run.seed, log)
    : first;
  // Validation (and so the thresholds) from the first fit; test from the shipped one.
  const figuresOf = (
    tuned: { score: Scorer },
    shipped: { score: Scorer },
    tuning: 'global' | 'per-technique',
  ) => evaluateAll(sets, corpus.labels, { validation: tuned.score, test: shipped.score }, settings, tuning);
  const ours = figuresOf(first, classifier, settings.thresholds);
  log(`techniques: test spans micro-F1 ${ours.figures['test-spans'].microF1.toFixed(3)}`);
  const baselineFirst = trainBaseline(split.train, corpus.labels, settings, run.seed, log);
  const baselineFinal = settings.refit
    ? trainBaseline(refitUnits, corpus.labels, settings, run.seed, log)
    : baselineFirst;
  const baseline = figuresOf(baselineFirst, baselineFinal, 'global');
  log(`baseline: test spans micro-F1 ${baseline.figures['test-spans'].microF1.toFixed(3)}`);
  const calibration = calibrate(corpus, settings, run.seed, log);

  const hyperparameters: Record<string, number | string | boolean> = {
    ...settings,
    globalThreshold: ours.globalThreshold,
    baselineThreshold: baseline.globalThreshold,
  };
  const metrics: TechniqueManifest['metrics'] = {};
  for (const [prefix, figures] of [
    ['', ours.figures],
    ['baseline-', baseline.figures],
  ] as const) {
    for (const [name, f] of Object.entries(figures)) {
      metrics[`${prefix}${name}`] = {
        n: f.n,
        microF1: f.microF1,
        macroF1: f.macroF1,
        precision: f.precision,
        recall: f.recall,
      };
    }
  }
  const names: Record<string, string> = {};
  for (const id of Object.keys(corpus.names).sort()) names[id] = corpus.names[id] as string;
  const manifest = saveTechniqueModel(run.out, {
    manifest: {
      formatVersion: TECHNIQUE_MANIFEST_VERSION,
      family: TECHNIQUE_MODEL_FAMILY,
      createdAt: run.now.toISOString(),
      labels: corpus.labels,
      featurizer: classifier.featurizer,
      classifier: { output: 'softmax', noneOutput: true },
      decision: { thresholds: Array.from(ours.thresholds), maxPerSentence: settings.maxPerSentence },
      weights: { file: 'weights.cstw', encoding: 'cstw-1' },
      namesFile: 'techniques.json',
      training: {
        dataSha256: data.sha256,
        files: data.files,
        seed: run.seed,
        hyperparameters,
        counts: { ...counts(split), ...(settings.refit ? { 'refit.units': refitUnits.length } : {}) },
      },
      metrics,
    },
    weights: classifier.weights,
    names,
  });
  // The figures above come from the same quantised weights and thresholds the directory holds;
  // reloading checks that what was written is what was measured.
  const reloaded = createTechniqueModel(manifest, classifier.quantized, names);
  const check = evaluateTechniques(
    sets.test.spans.map((e) => ({
      gold: e.techniques,
      predicted: reloaded.mapSentence(e.text).map((t) => t.id),
    })),
  );
  if (Math.abs(check.microF1 - ours.figures['test-spans'].microF1) > 1e-9) {
    throw new Error(
      `Internal: reloaded model scores ${check.microF1}, trained one ${ours.figures['test-spans'].microF1}`,
    );
  }
  const result: TechniqueTrainingResult = {
    manifest,
    model: ours.figures,
    baseline: baseline.figures,
    calibration,
  };
  writeFileSync(
    join(run.out, 'EVALUATION.md'),
    renderEvaluationReport({ ...result, names, weightsBytes: classifier.weights.length }),
  );
  log(`techniques: wrote ${run.out}`);
  return result;
}
