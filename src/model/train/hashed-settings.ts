import Type, { type Static } from 'typebox';
import { HashedFeatureConfigV1Schema } from '../format/hashed-v1.js';

/** Everything that shapes a hashed n-gram severity model; recorded in its manifest. */
export const HashedTrainSettingsSchema = Type.Object(
  {
    features: HashedFeatureConfigV1Schema,
    /** Width of the ReLU hidden layer; 0 gives a linear model. */
    hiddenDim: Type.Integer({ minimum: 0, maximum: 512 }),
    /** Train the eight CVSS base-metric heads next to the severity head (multi-task). */
    cvssHeads: Type.Boolean(),
    /** How the five probabilities are formed (see `HashedConfigV1Schema.output`). */
    outputMode: Type.Union([Type.Literal('direct'), Type.Literal('cvss'), Type.Literal('mix')]),
    /** Weight of the severity head in `mix` mode. */
    mixWeight: Type.Number({ minimum: 0, maximum: 1 }),
    epochs: Type.Integer({ minimum: 1, maximum: 100 }),
    /** Adam step size at the start; decays linearly to 10 % of it. */
    learningRate: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
    l2: Type.Number({ minimum: 0, maximum: 1 }),
    inputDropout: Type.Number({ minimum: 0, maximum: 0.9 }),
    hiddenDropout: Type.Number({ minimum: 0, maximum: 0.9 }),
    /** Loss weight of each CVSS metric head relative to the severity head. */
    cvssHeadWeight: Type.Number({ minimum: 0, maximum: 10 }),
    initScale: Type.Number({ minimum: 0, maximum: 1 }),
    embeddingOptimizer: Type.Union([Type.Literal('adam'), Type.Literal('sgd')]),
    /** Class weight = (n / (classes * n_c)) ^ power: 0 none, 1 fully balanced. */
    classWeightPower: Type.Number({ minimum: 0, maximum: 1 }),
    /** Probability that a training example is shown without its source and CWEs (callers often omit them). */
    sourceDropout: Type.Number({ minimum: 0, maximum: 1 }),
    /**
     * Half-life in months of the recency weight of a training example (age
     * from the newest publication month of the data being fitted, see
     * `recencyWeights`); multiplies the class weight. 0 turns it off.
     */
    recencyHalfLifeMonths: Type.Number({ minimum: 0, maximum: 1200 }),
    /** Stored precision of the embedding table. */
    precision: Type.Union([Type.Literal('float32'), Type.Literal('float16'), Type.Literal('int8-rows')]),
    /**
     * Tune per-class decision offsets on validation (maximising the mean of
     * 4-class accuracy and macro-F1) before fitting the temperature.
     */
    tuneOffsets: Type.Boolean(),
    /** Refit on train + validation after tuning (calibration kept from the train-only fit). */
    refitOnValidation: Type.Boolean(),
    seed: Type.Integer(),
  },
  { additionalProperties: false },
);

/** Everything that shapes a hashed n-gram severity model. */
export type HashedTrainSettings = Static<typeof HashedTrainSettingsSchema>;

/** The settings as a flat record for the manifest's `hyperparameters`. */
export function flattenSettings(s: HashedTrainSettings): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'features')
      for (const [fk, fv] of Object.entries(v as object)) out[`features.${fk}`] = fv as number;
    else out[k] = v as number | string | boolean;
  }
  return out;
}
