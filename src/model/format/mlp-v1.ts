import Type, { type Static } from 'typebox';

/**
 * The `config` of a `tfjs-mlp` model's manifest, format 1. The network itself
 * is in TF.js layers format (`model.json` + `weights.bin`), the fitted feature
 * artefacts in `features.json` (the features module's own format).
 */
export const MlpConfigV1Schema = Type.Object(
  {
    /** Per-slot standardisation applied before the network: (x - mean) / std. */
    standardize: Type.Object(
      {
        mean: Type.Array(Type.Number(), { minItems: 1, maxItems: 4096 }),
        std: Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 1, maxItems: 4096 }),
      },
      { additionalProperties: false },
    ),
    /**
     * Reference time of the temporal slots: `published` uses the document's own
     * publication time (age 0; severity does not depend on when it is asked),
     * falling back to `fallbackReferenceTime` when the document has none.
     */
    referenceTime: Type.Literal('published'),
    /** Epoch milliseconds used when a document has no publication time. */
    fallbackReferenceTime: Type.Number(),
  },
  { additionalProperties: false },
);

/** Config of a TF.js MLP model, format 1. */
export type MlpConfigV1 = Static<typeof MlpConfigV1Schema>;
