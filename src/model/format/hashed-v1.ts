import Type, { type Static } from 'typebox';
import { TensorIndexSchema } from './tensor-file.js';

/**
 * Settings of the hashed text representation. Stored in the model directory
 * (`config.features` of the manifest): the weights only make sense with the
 * settings they were trained with.
 */
export const HashedFeatureConfigV1Schema = Type.Object(
  {
    /** Number of hash buckets; a power of two. */
    buckets: Type.Integer({ minimum: 1024, maximum: 4194304 }),
    /** Longest word n-gram (1 = unigrams only). */
    wordNgrams: Type.Integer({ minimum: 1, maximum: 3 }),
    /** Shortest and longest character n-gram inside a word padded with `<` `>`; charMax 0 turns them off. */
    charMin: Type.Integer({ minimum: 1, maximum: 8 }),
    charMax: Type.Integer({ minimum: 0, maximum: 8 }),
    /** Weight of character n-gram features relative to word features. */
    charWeight: Type.Number({ minimum: 0, maximum: 10 }),
    /** Add the source (CNA) and CWE ids as tokens. */
    metaTokens: Type.Boolean(),
    /** Weight of metadata tokens relative to word features. */
    metaWeight: Type.Number({ minimum: 0, maximum: 10 }),
    /** Add tokens for explicit severity statements ("classified as critical", "high severity"). */
    statedSeverity: Type.Boolean(),
    /** Add source-conjoined word unigrams (`source|word`), so each CNA's wording habits get their own weights. */
    sourceWords: Type.Boolean(),
    /** Replace digit runs with `0` so version numbers do not fragment the vocabulary. */
    numberShape: Type.Boolean(),
    /** Characters of text read; the rest is ignored (bounds prediction cost). */
    maxChars: Type.Integer({ minimum: 64, maximum: 100000 }),
  },
  { additionalProperties: false },
);

/** Settings of the hashed text representation, format 1. */
export type HashedFeatureConfigV1 = Static<typeof HashedFeatureConfigV1Schema>;

/**
 * The `config` of a `hashed-ngram` model's manifest, format 1: the text
 * representation, the network shape, how the severity distribution is formed
 * from the heads, and the index of the binary weights file.
 */
export const HashedConfigV1Schema = Type.Object(
  {
    features: HashedFeatureConfigV1Schema,
    network: Type.Object(
      {
        dim: Type.Integer({ minimum: 1, maximum: 1024 }),
        hidden: Type.Boolean(),
        /** Output heads: `severity` (5 classes) then, when present, the eight CVSS base metrics. */
        heads: Type.Array(Type.Integer({ minimum: 2, maximum: 16 }), { minItems: 1, maxItems: 9 }),
      },
      { additionalProperties: false },
    ),
    /**
     * How the five probabilities are formed: `direct` (the severity head),
     * `cvss` (severity computed with the CVSS 3.1 formula from the eight metric
     * heads), or `mix` (`mixWeight * direct + (1 - mixWeight) * cvss`).
     */
    output: Type.Object(
      {
        mode: Type.Union([Type.Literal('direct'), Type.Literal('cvss'), Type.Literal('mix')]),
        mixWeight: Type.Number({ minimum: 0, maximum: 1 }),
      },
      { additionalProperties: false },
    ),
    tensors: TensorIndexSchema,
  },
  { additionalProperties: false },
);

/** Config of a hashed n-gram model, format 1. */
export type HashedConfigV1 = Static<typeof HashedConfigV1Schema>;
