import Type, { type Static } from 'typebox';

/**
 * On-disk format of `manifest.json`, format version 1.
 *
 * This schema is frozen once shipped: a later format gets its own file
 * (`manifest-v2.ts`) and an upgrade function in `manifest.ts`, so every model
 * directory ever written stays loadable (the TF.js `keras_format` habit).
 */
export const ManifestV1Schema = Type.Object(
  {
    /** Always 1 for this schema. */
    formatVersion: Type.Literal(1),
    /** The learning task (`severity`); a loader refuses models of another task as incompatible. */
    task: Type.String({ minLength: 1, maxLength: 64 }),
    /** Model family; selects the loader (`hashed-ngram`, `tfjs-mlp`, `ensemble`). */
    family: Type.String({ minLength: 1, maxLength: 64 }),
    /** This model's version, unique per training run. */
    version: Type.String({ minLength: 1, maxLength: 128 }),
    /** The version this model was retrained from, or null for a first model. */
    parentVersion: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]),
    /** When training finished, ISO 8601 UTC. */
    createdAt: Type.String({ format: 'date-time' }),
    /**
     * Version of the input representation the weights expect: the features
     * module's `FEATURE_SPEC.version` for vector models, the text hashing
     * scheme's version for n-gram models. A mismatch refuses the model.
     */
    featureSpecVersion: Type.String({ minLength: 1, maxLength: 64 }),
    /** Output classes in the order of the weights' output units. */
    classes: Type.Array(Type.String({ minLength: 1 }), { minItems: 2, maxItems: 16 }),
    /** What the model was trained on. */
    trainingData: Type.Object({
      /** SHA-256 (hex) over the ids, labels and texts of the training examples, in order. */
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      /** Human description: sources, split, filters. */
      description: Type.String(),
      /** Example counts (`train`, `validation`, per class, per label source, ...). */
      counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    }),
    /** Every setting that shaped the weights, including the seed. */
    hyperparameters: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    /** Figures measured at training time (validation unless the key says otherwise). */
    metrics: Type.Record(Type.String(), Type.Number()),
    /** Probability calibration applied to the raw scores. */
    calibration: Type.Union([
      Type.Object({ method: Type.Literal('none') }),
      Type.Object({
        method: Type.Literal('temperature'),
        /** Divides the log-probabilities (after the offsets). */
        temperature: Type.Number({ exclusiveMinimum: 0 }),
        /** Per-class offsets added to the log-probabilities first (decision tuning on validation); absent: zeros. */
        classOffsets: Type.Optional(
          Type.Array(Type.Number({ minimum: -20, maximum: 20 }), { minItems: 2, maxItems: 16 }),
        ),
      }),
    ]),
    /** Files of the model directory by role (`weights`, `model`, `features`, ...), relative paths. */
    files: Type.Record(
      Type.String(),
      Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$' }),
    ),
    /** Family-specific settings the loader needs (dimensions, n-gram ranges, member list). */
    config: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

/** A version-1 manifest as stored on disk. */
export type ManifestV1 = Static<typeof ManifestV1Schema>;
