import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type Clock } from '../core/index.js';
import { importLabelledJsonl, type LabelledDoc } from '../ingest/index.js';
import { loadSeverityCorpus, type SeverityCorpus } from './data/severity-corpus.js';
import { MANIFEST_FILE, type ModelManifest, parseManifest } from './format/manifest.js';
import { writeModelDir } from './format/model-dir.js';
import { HASHED_FAMILY } from './hashed/hashed-family.js';
import { MLP_FAMILY } from './mlp/mlp-family.js';
import { DEFAULT_MLP_SETTINGS, MlpTrainSettingsSchema } from './mlp/mlp-settings.js';
import { trainMlpSeverity } from './mlp/train-mlp.js';
import { createRng } from './rng.js';
import { DEFAULT_HASHED_SETTINGS } from './train/hashed-defaults.js';
import { HashedTrainSettingsSchema } from './train/hashed-settings.js';
import { applyOverrides } from './train/overrides.js';
import { type TrainHooks, trainHashedSeverity } from './train/train-hashed-severity.js';
import { trainingDataHash } from './train/training-data-hash.js';

/** Labelled base data for retraining: what the parent was trained on (or a labelled file standing in for it). */
export interface RetrainBase {
  train: LabelledDoc[];
  /** Used for the temperature fit (and refit, when the parent's settings say so). */
  validation: LabelledDoc[];
  /** Where it came from, for the manifest. */
  description: string;
}

/** An extra example (analyst feedback) and its loss weight relative to one base example. */
export interface WeightedDoc {
  doc: LabelledDoc;
  /** > 0; applied by repeating the example ⌊w⌋ times plus once more with probability w − ⌊w⌋ (seeded). */
  weight: number;
}

/** Input of {@link retrainSeverityModel}. */
export interface RetrainInput {
  /** The model being retrained: its family and settings are reused. */
  parent: ModelManifest;
  base: RetrainBase;
  extra: readonly WeightedDoc[];
  /** Weight of a base example (e.g. lowered for sources analysts keep correcting); default 1 for all. */
  baseWeight?: (doc: LabelledDoc) => number;
  /** `key=value` settings on top of the parent's (tests use tiny models). */
  overrides?: Readonly<Record<string, string>>;
  /** Version of the new model (unique in its family). */
  version: string;
  clock: Clock;
  hooks?: TrainHooks;
}

/** What {@link retrainSeverityModel} wrote. */
export interface RetrainOutput {
  manifest: ModelManifest;
  /** The examples trained on, in order (base after weighting, then feedback), for drift references and audits. */
  trainDocs: LabelledDoc[];
}

const FRACTION_SEED = 0x7e7a1;

/** Repeats weighted docs (⌊w⌋ copies plus one with probability of the fraction), deterministically. */
function expand(weighted: readonly WeightedDoc[], seed: number): LabelledDoc[] {
  const rng = createRng(seed ^ FRACTION_SEED);
  const out: LabelledDoc[] = [];
  for (const { doc, weight } of weighted) {
    if (!(weight >= 0) || !Number.isFinite(weight)) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Weight of ${doc.id} must be a finite number >= 0, got ${weight}`,
      );
    }
    const whole = Math.floor(weight);
    const copies = whole + (rng.next() < weight - whole ? 1 : 0);
    for (let i = 0; i < copies; i++) out.push(i === 0 ? doc : { ...doc, id: `${doc.id}#${i}` });
  }
  return out;
}

const dupKey = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** The parent's settings (its manifest's hyperparameters) with `overrides` on top, for its family. */
function settingsFor<T extends object>(
  parent: ModelManifest,
  defaults: Readonly<T>,
  schema: Parameters<typeof applyOverrides>[2],
  overrides: Readonly<Record<string, string>>,
): T {
  const inherited = Object.fromEntries(
    Object.entries(parent.hyperparameters).map(([k, v]) => [k, String(v)]),
  );
  const { settings, problems } = applyOverrides(defaults, { ...inherited, ...overrides }, schema);
  if (problems.length > 0) {
    throw new AppError('CS_ERR_VALIDATION', `Retraining settings are invalid: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return settings;
}

/**
 * Retrains a severity model of the parent's family (hashed n-gram or the
 * TF.js MLP) with the parent's settings on the base data plus weighted extra
 * examples (analyst feedback), and writes the model directory `outDir`.
 * Base examples whose text equals an extra example's are dropped (the
 * analyst's label wins). The manifest records the parent, the new version,
 * the hash of every training example and the feedback counts.
 *
 * @throws AppError CS_ERR_MODEL_INCOMPATIBLE for a family that cannot be retrained; CS_ERR_VALIDATION for bad settings.
 */
export async function retrainSeverityModel(input: RetrainInput, outDir: string): Promise<RetrainOutput> {
  const overrides = input.overrides ?? {};
  const extraKeys = new Set(input.extra.map((e) => dupKey(e.doc.text)));
  const base = input.base.train.filter((d) => !extraKeys.has(dupKey(d.text)));
  const replacedByFeedback = input.base.train.length - base.length;
  const baseWeight = input.baseWeight;
  const seed = Number(overrides.seed ?? input.parent.hyperparameters.seed ?? 42);
  const weightedBase =
    baseWeight === undefined
      ? base
      : expand(
          base.map((doc) => ({ doc, weight: baseWeight(doc) })),
          seed,
        );
  const feedback = expand(input.extra, seed + 1);
  const train = [...weightedBase, ...feedback];
  const corpus: SeverityCorpus = {
    train,
    validation: input.base.validation,
    test: [],
    report: {
      files: [],
      imported: train.length + input.base.validation.length,
      skipped: 0,
      skipReasons: {},
      unlabelled: 0,
      unplaced: 0,
      dedup: {
        trainInLaterSplits: 0,
        validationInTest: 0,
        trainDuplicatesMerged: 0,
        trainConflictsDropped: 0,
      },
      labellingFunctions: [],
      weakInformational: 0,
      counts: {},
    },
  };
  const hooks = input.hooks ?? {};
  let manifest: ModelManifest;
  if (input.parent.family === HASHED_FAMILY) {
    const settings = settingsFor(input.parent, DEFAULT_HASHED_SETTINGS, HashedTrainSettingsSchema, overrides);
    const result = trainHashedSeverity(corpus, settings, {
      clock: input.clock,
      parentVersion: input.parent.version,
      hooks,
    });
    manifest = result.manifest;
    await writeModelDir(
      outDir,
      relabel(manifest, input, train, feedback.length, replacedByFeedback),
      result.files,
    );
  } else if (input.parent.family === MLP_FAMILY) {
    const settings = settingsFor(input.parent, DEFAULT_MLP_SETTINGS, MlpTrainSettingsSchema, overrides);
    const result = await trainMlpSeverity(corpus, settings, outDir, {
      clock: input.clock,
      parentVersion: input.parent.version,
      hooks,
    });
    const path = join(outDir, MANIFEST_FILE);
    await writeFile(
      path,
      `${JSON.stringify(relabel(result.manifest, input, train, feedback.length, replacedByFeedback), null, 2)}\n`,
    );
  } else {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `Model family ${input.parent.family} cannot be retrained by this build (it retrains ${HASHED_FAMILY} and ${MLP_FAMILY})`,
    );
  }
  manifest = parseManifest(JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')), outDir);
  return { manifest, trainDocs: train };
}

/** The trainer's manifest with the retraining's version, lineage and data description. */
function relabel(
  m: ModelManifest,
  input: RetrainInput,
  train: readonly LabelledDoc[],
  feedbackExamples: number,
  replacedByFeedback: number,
): ModelManifest {
  const trainingExamples = m.trainingData.counts.trainingExamples ?? train.length;
  return {
    ...m,
    version: input.version,
    parentVersion: input.parent.version,
    trainingData: {
      // Over every example the final fit saw (base, validation when refitted, feedback), in order.
      sha256: trainingDataHash([...train, ...(trainingExamples > train.length ? input.base.validation : [])]),
      description: `Retrained from ${input.parent.version}: ${input.base.description}, plus ${input.extra.length} analyst feedback texts (${feedbackExamples} weighted examples; ${replacedByFeedback} base texts replaced by feedback)`,
      counts: {
        ...m.trainingData.counts,
        feedbackTexts: input.extra.length,
        feedbackExamples,
        baseReplacedByFeedback: replacedByFeedback,
      },
    },
  };
}

/**
 * Reads labelled base data for retraining. A directory is read as the public
 * data folder with the severity corpus builder (the same data and split the
 * shipped model was trained on: train, plus validation for calibration). A
 * file is read as JSON lines of `{text, label|severity, source?, published?}`
 * (gzip allowed), split deterministically by a hash of the text: 15 % validation.
 */
export async function loadRetrainBase(path: string, seed: number): Promise<RetrainBase> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (cause) {
    throw new AppError(
      'CS_ERR_INPUT_UNREADABLE',
      `No retraining base data at ${path} (set RETRAIN_BASE_DATA)`,
      {
        cause,
      },
    );
  }
  if (isDir) {
    const corpus = await loadSeverityCorpus(path, { seed });
    return {
      train: corpus.train,
      validation: corpus.validation,
      description: `public data in ${path} (train <= 2024-05, validation 2024-06..07 for calibration)`,
    };
  }
  const train: LabelledDoc[] = [];
  const validation: LabelledDoc[] = [];
  let skipped = 0;
  for await (const doc of importLabelledJsonl(path, { onSkip: () => skipped++ })) {
    if (doc.label === undefined) {
      skipped++;
      continue;
    }
    const h = createHash('sha256').update(dupKey(doc.text)).digest().readUInt32BE(0) / 4_294_967_296;
    (h < 0.15 ? validation : train).push(doc);
  }
  if (train.length === 0 || validation.length === 0) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path} has too few labelled lines to retrain on`, {
      details: { train: train.length, validation: validation.length, skipped },
    });
  }
  return {
    train,
    validation,
    description: `labelled file ${path} (${train.length} train, ${validation.length} validation, ${skipped} lines skipped)`,
  };
}

/**
 * Checks `key=value` retraining settings for a family before a job is queued,
 * so a bad request is refused at once instead of failing later in the job.
 * Returns the problems (empty when the settings apply).
 */
export function retrainSettingsProblems(
  family: string,
  overrides: Readonly<Record<string, string>>,
): string[] {
  if (family === HASHED_FAMILY)
    return applyOverrides(DEFAULT_HASHED_SETTINGS, overrides, HashedTrainSettingsSchema).problems;
  if (family === MLP_FAMILY)
    return applyOverrides(DEFAULT_MLP_SETTINGS, overrides, MlpTrainSettingsSchema).problems;
  return [`model family ${family} cannot be retrained by this build`];
}
