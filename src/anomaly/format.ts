import Type, { type Static } from 'typebox';

/** The sub-directory of a severity model directory that holds its anomaly model (`models/severity/anomaly`). */
export const ANOMALY_SUBDIR = 'anomaly';

/** File names inside an anomaly model directory. */
export const ANOMALY_FILES = Object.freeze({
  manifest: 'anomaly.json',
  /** TF.js layers format topology and weights manifest. */
  model: 'model.json',
  weights: 'weights.bin',
});

/**
 * On-disk format of `anomaly.json`, format version 1. Frozen once shipped: a
 * later format gets its own schema and an upgrade step, so every saved model
 * stays loadable.
 */
export const AnomalyManifestV1Schema = Type.Object(
  {
    format: Type.Literal('cyberstreams-anomaly'),
    formatVersion: Type.Literal(1),
    /** When training finished, ISO 8601 UTC. */
    createdAt: Type.String({ minLength: 1 }),
    /** `FEATURE_SPEC.version` of the vectors the network was trained on; a mismatch refuses the model. */
    featureSpecVersion: Type.String({ minLength: 1 }),
    /** Length of the input vectors. */
    dimension: Type.Integer({ minimum: 1, maximum: 4096 }),
    /** The feature artefacts (features.json) the training vectors were computed with. */
    features: Type.Object({
      /** SHA-256 (hex) of the features.json bytes; serve vectors made with the same artefacts. */
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      /** Where they came from (path relative to the repository, or a description). */
      source: Type.String(),
    }),
    trainingData: Type.Object({
      description: Type.String(),
      /** Vectors the network was fitted on. */
      fitRows: Type.Integer({ minimum: 1 }),
      /** Vectors held out to build the error distribution (never used to fit). */
      holdoutRows: Type.Integer({ minimum: 1 }),
      /** SHA-256 over the training vectors' bytes, in order. */
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    }),
    /** Hidden layer widths of the dense autoencoder (input → hidden... → input). */
    hidden: Type.Array(Type.Integer({ minimum: 1, maximum: 4096 }), { minItems: 1, maxItems: 16 }),
    /** Every setting that shaped the weights, including the seed. */
    hyperparameters: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    /** Figures measured at training time (mean squared reconstruction errors in standardised units). */
    metrics: Type.Record(Type.String(), Type.Number()),
    /** Per-slot standardisation applied before the network: z = clip((x - mean) / std, ±clip). */
    standardiser: Type.Object({
      mean: Type.Array(Type.Number()),
      std: Type.Array(Type.Number({ exclusiveMinimum: 0 })),
      clip: Type.Number({ exclusiveMinimum: 0 }),
    }),
    /**
     * Quantiles of the reconstruction error over the held-out training
     * vectors at evenly spaced levels 0, 1/(n-1), ..., 1 (non-decreasing).
     * The score is the error's interpolated level in this table.
     */
    errorQuantiles: Type.Array(Type.Number({ minimum: 0 }), { minItems: 2 }),
    /**
     * Topical coverage: the L2 norm of the slots `[start, end)` (the LSA text
     * embedding), with its quantiles over the held-out vectors. Off-topic prose
     * has little mass in the embedding; the autoencoder sees such vectors as
     * near-average and reconstructs them well, so its error alone misses them.
     * Null: the score is the error's level alone.
     */
    coverage: Type.Union([
      Type.Null(),
      Type.Object({
        start: Type.Integer({ minimum: 0 }),
        end: Type.Integer({ minimum: 1 }),
        quantiles: Type.Array(Type.Number({ minimum: 0 }), { minItems: 2 }),
      }),
    ]),
    /**
     * Quantiles over the held-out vectors of the combined statistic
     * max(error level, 1 - coverage level); the score is a vector's level in
     * this table, so held-out training texts score uniformly in [0, 1].
     */
    scoreQuantiles: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 2 }),
    /**
     * A seeded random sample of training vectors (raw, not standardised): the
     * background for feature-family explanations, and their mean.
     */
    background: Type.Object({
      mean: Type.Array(Type.Number()),
      rows: Type.Array(Type.Array(Type.Number()), { minItems: 1 }),
    }),
  },
  { additionalProperties: false },
);

/** A validated `anomaly.json`. */
export type AnomalyManifestV1 = Static<typeof AnomalyManifestV1Schema>;
