import Type, { type Static } from 'typebox';

/** Settings of the TF.js MLP baseline (the design's network); recorded in its manifest. */
export const MlpTrainSettingsSchema = Type.Object(
  {
    epochs: Type.Integer({ minimum: 1, maximum: 500 }),
    batchSize: Type.Integer({ minimum: 1, maximum: 4096 }),
    learningRate: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    /** Class weight = (n / (classes * n_c)) ^ power. */
    classWeightPower: Type.Number({ minimum: 0, maximum: 1 }),
    /** Largest TF-IDF vocabulary of the feature artefacts (LSA input). */
    maxVocabulary: Type.Integer({ minimum: 100, maximum: 200000 }),
    /** Tune per-class decision offsets on validation before the temperature (as the hashed family). */
    tuneOffsets: Type.Boolean(),
    /** Refit artefacts and network on train + validation after calibration. */
    refitOnValidation: Type.Boolean(),
    seed: Type.Integer(),
  },
  { additionalProperties: false },
);

/** Settings of the TF.js MLP baseline. */
export type MlpTrainSettings = Static<typeof MlpTrainSettingsSchema>;

/** Defaults of the baseline: Adam 1e-3, 30 epochs of batches of 64, no class weights, an 8,000-term vocabulary (keeps features.json near 2.5 MB; 20,000 terms measured no better on validation). The shipped `models/severity-baseline` predates this default and records `maxVocabulary: 20000` in its manifest. */
export const DEFAULT_MLP_SETTINGS: Readonly<MlpTrainSettings> = Object.freeze({
  epochs: 30,
  batchSize: 64,
  learningRate: 0.001,
  classWeightPower: 0,
  maxVocabulary: 8000,
  tuneOffsets: false,
  refitOnValidation: true,
  seed: 42,
});
