import Type, { type Static } from 'typebox';

/**
 * The `config` of an `ensemble` model's manifest, format 1: member model
 * directories (sub-directories of the ensemble's directory, each with its own
 * manifest and calibration) and how their calibrated probabilities are pooled.
 */
export const EnsembleConfigV1Schema = Type.Object(
  {
    members: Type.Array(
      Type.Object(
        {
          /** Sub-directory holding the member model. */
          path: Type.String({ pattern: '^[A-Za-z0-9._-]+$' }),
          /** Pooling weight; the weights sum to 1. */
          weight: Type.Number({ minimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 8 },
    ),
    /** `linear`: weighted mean of probabilities; `log`: weighted geometric mean, renormalised. */
    pooling: Type.Union([Type.Literal('linear'), Type.Literal('log')]),
  },
  { additionalProperties: false },
);

/** Config of an ensemble model, format 1. */
export type EnsembleConfigV1 = Static<typeof EnsembleConfigV1Schema>;

/** Version of the ensemble's input contract (it passes documents through to its members). */
export const ENSEMBLE_SPEC_VERSION = 'ensemble/1';
