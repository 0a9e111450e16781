import Type, { type Static } from 'typebox';

/**
 * On-disk format of `features.json`, format version 1: everything
 * `featurize` needs besides the code (vocabulary, IDF weights, LSA projection,
 * source priors). Frozen once shipped: a later format gets its own schema and
 * an upgrade step in `artefacts.ts`, so saved models stay loadable.
 */
export const FeatureArtefactsV1Schema = Type.Object(
  {
    /** Marks the file type, so a wrong file is refused by name. */
    format: Type.Literal('cyberstreams-features'),
    /** Always 1 for this schema. */
    formatVersion: Type.Literal(1),
    /** The `FEATURE_SPEC.version` the artefacts were fitted for. */
    featureSpecVersion: Type.String({ minLength: 1, maxLength: 64 }),
    /** How the artefacts were fitted (reproducibility). */
    fit: Type.Object(
      {
        documents: Type.Integer({ minimum: 0 }),
        seed: Type.Integer(),
        maxVocabulary: Type.Integer({ minimum: 1 }),
        minDocumentFrequency: Type.Integer({ minimum: 1 }),
        maxDocumentFrequencyRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
        ngramMax: Type.Union([Type.Literal(1), Type.Literal(2)]),
        oversampling: Type.Integer({ minimum: 0 }),
        powerIterations: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /** Terms (words and space-joined bigrams), in column order of `idf` and the projection. */
    vocabulary: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 1_000_000 }),
    /** Smoothed inverse document frequency per term: ln((1+n)/(1+df)) + 1. */
    idf: Type.Array(Type.Number({ minimum: 0 }), { maxItems: 1_000_000 }),
    embedding: Type.Object(
      {
        /** Always the spec's 50 embedding slots. */
        dimensions: Type.Literal(50),
        /** Components actually found (≤ 50; the rest are zero). */
        rank: Type.Integer({ minimum: 0, maximum: 50 }),
        /** Singular values of the found components, descending. */
        singularValues: Type.Array(Type.Number({ minimum: 0 }), { maxItems: 50 }),
        /** Per-slot divisor: the component's root-mean-square over the fitting corpus (1 for zero rows). */
        scale: Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 50, maxItems: 50 }),
        /**
         * Term-major `vocabulary × 50` float32 matrix, little-endian, base64: term t's weights on the
         * 50 unit right singular vectors are numbers [t·50, t·50 + 50); components ≥ rank are 0.
         */
        projection: Type.Object(
          {
            encoding: Type.Literal('float32le-base64'),
            /** Canonical base64 (checked on load by re-encoding: a pattern would cost ~100 ms on 5 MB). */
            data: Type.String(),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    sources: Type.Object(
      {
        defaultReputation: Type.Number({ minimum: 0, maximum: 1 }),
        maxDocuments: Type.Integer({ minimum: 0 }),
        priors: Type.Record(
          Type.String({ minLength: 1, maxLength: 200 }),
          Type.Object(
            {
              reputation: Type.Number({ minimum: 0, maximum: 1 }),
              observations: Type.Integer({ minimum: 0 }),
              documents: Type.Integer({ minimum: 0 }),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A version-1 `features.json` as stored on disk. */
export type FeatureArtefactsV1 = Static<typeof FeatureArtefactsV1Schema>;
