import Type, { type Static } from 'typebox';

/**
 * The on-disk manifest of a technique model directory (`manifest.json`), typed
 * apart from the runtime model so that a saved model stays loadable: a new
 * layout gets a new `formatVersion` and its own schema beside the old one.
 */

/** The manifest layout this build writes. */
export const TECHNIQUE_MANIFEST_VERSION = 1;

/** The model family this module reads and writes. */
export const TECHNIQUE_MODEL_FAMILY = 'attack-techniques/hashed-tfidf-linear';

const Score = Type.Number({ minimum: 0, maximum: 1 });

/** Figures of one evaluation, as stored in the manifest. */
export const StoredFiguresSchema = Type.Object({
  n: Type.Integer({ minimum: 0 }),
  microF1: Score,
  macroF1: Score,
  precision: Score,
  recall: Score,
});

/** Manifest format 1. */
export const TechniqueManifestV1Schema = Type.Object({
  formatVersion: Type.Literal(1),
  family: Type.Literal(TECHNIQUE_MODEL_FAMILY),
  /** ISO 8601 time the model was written. */
  createdAt: Type.String({ format: 'date-time' }),
  /** Technique ids in output order. */
  labels: Type.Array(Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }), { minItems: 1 }),
  featurizer: Type.Object({
    dim: Type.Integer({ minimum: 2, maximum: 2 ** 24 }),
    wordNgramMax: Type.Integer({ minimum: 1, maximum: 4 }),
    charNgramMin: Type.Integer({ minimum: 0, maximum: 8 }),
    charNgramMax: Type.Integer({ minimum: 0, maximum: 8 }),
    charWeight: Type.Number({ minimum: 0 }),
    foldDigits: Type.Boolean(),
  }),
  classifier: Type.Object({
    output: Type.Union([Type.Literal('softmax'), Type.Literal('sigmoid')]),
    /** Softmax models carry one extra output after the labels: "no technique". */
    noneOutput: Type.Boolean(),
  }),
  decision: Type.Object({
    /** Per label, the score a sentence needs for the technique to be predicted. */
    thresholds: Type.Array(Score, { minItems: 1 }),
    /** At most this many techniques per sentence (best first). */
    maxPerSentence: Type.Integer({ minimum: 1 }),
  }),
  weights: Type.Object({
    file: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
    /** Layout of the weights file, see `weights-file.ts`. */
    encoding: Type.Literal('cstw-1'),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  }),
  /** Technique id -> ATT&CK name file in the same directory. */
  namesFile: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
  training: Type.Object({
    /** SHA-256 over the input files' hashes, in `files` order. */
    dataSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    files: Type.Array(Type.Object({ name: Type.String(), sha256: Type.String(), bytes: Type.Integer() })),
    seed: Type.Integer(),
    /** Every setting of the run (featuriser, optimiser, data weights, split), for reproduction. */
    hyperparameters: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    /** Units per part of the split and per source. */
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  }),
  /** Figures measured when the model was trained, by evaluation set name. */
  metrics: Type.Record(Type.String(), StoredFiguresSchema),
});

/** Manifest format 1 as a type. */
export type TechniqueManifestV1 = Static<typeof TechniqueManifestV1Schema>;

/** The manifest this build writes and reads. */
export type TechniqueManifest = TechniqueManifestV1;
