import Type, { type Static } from 'typebox';
import { SEVERITY_CLASSES } from '../../model/index.js';
import { ModelRefSchema, nullableUnit, ProblemSchema, SeveritySchema, TextSchema } from './common.js';

/** One item to score: the body of `POST /api/v1/predict` and each entry of a batch. */
export const PredictItemSchema = Type.Object(
  {
    text: TextSchema,
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Who published the text: a CNA short name (redhat, VulDB) or a feed name.',
      }),
    ),
    published: Type.Optional(
      Type.String({
        // ISO 8601 date or date-time; the handler also checks it is a real calendar date.
        pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
        description: 'Publication time, ISO 8601 (2024-08-01 or 2024-08-01T12:00:00Z).',
      }),
    ),
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Your own id for the item; echoed back as itemId and stored with the prediction.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A validated item. */
export type PredictItem = Static<typeof PredictItemSchema>;

const unit = Type.Number({ minimum: 0, maximum: 1 });

/** Probabilities of the five classes, summing to 1. */
export const ProbabilitiesSchema = Type.Object(
  Object.fromEntries(SEVERITY_CLASSES.map((c) => [c, unit])) as Record<
    (typeof SEVERITY_CLASSES)[number],
    typeof unit
  >,
  { additionalProperties: false, description: 'Probability of each class; they sum to 1.' },
);

/** Probabilities by class. */
export type Probabilities = Static<typeof ProbabilitiesSchema>;

/** One indicator occurrence, as the extraction module reports it. */
const IndicatorMatchSchema = Type.Object(
  {
    type: Type.String(),
    value: Type.String({ description: 'Refanged, normalised value.' }),
    raw: Type.String({ description: 'The text as written.' }),
    start: Type.Integer({ minimum: 0, description: 'Offset (UTF-16 code units) in the normalised text.' }),
    end: Type.Integer({ minimum: 0, description: 'Exclusive end offset.' }),
    warninglists: Type.Array(
      Type.Object({ name: Type.String(), description: Type.String() }, { additionalProperties: false }),
      { description: 'MISP warninglists the value is on (known benign); empty when none.' },
    ),
  },
  { additionalProperties: false },
);

/** The extraction result: unique values per type (`ipv4s`, `cves`, ...) and every occurrence in `matches`. */
export const EntitiesSchema = Type.Object(
  { matches: Type.Array(IndicatorMatchSchema) },
  {
    additionalProperties: Type.Array(Type.String()),
    description:
      'Indicators found in the text: one list of unique values per type (ipv4s, domains, urls, cves, sha256s, ...) and every occurrence with its warninglist flags.',
  },
);

/** One indicator occurrence as returned. */
export type IndicatorMatch = Static<typeof IndicatorMatchSchema>;

/** Entities as returned (TypeBox's Static drops the typed additional properties, so spelled out). */
export type Entities = { matches: IndicatorMatch[] } & { [list: string]: string[] | IndicatorMatch[] };

/** An ATT&CK technique the text describes. */
export const TechniqueSchema = Type.Object(
  {
    id: Type.String({ description: 'ATT&CK id, e.g. T1059.001.' }),
    name: Type.Optional(Type.String()),
    score: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'The best score of its supporting sentences.',
    }),
    sentences: Type.Optional(
      Type.Array(
        Type.Object(
          {
            text: Type.String(),
            start: Type.Integer({ minimum: 0 }),
            end: Type.Integer({ minimum: 0 }),
            score: Type.Number({ minimum: 0, maximum: 1 }),
          },
          { additionalProperties: false },
        ),
        { description: 'The sentences that support it, with offsets in the normalised text.' },
      ),
    ),
  },
  { additionalProperties: true },
);

/** A technique. */
export type Technique = Static<typeof TechniqueSchema>;

/** Why the model decided as it did (filled by the explanation component; null until it exists). */
export const ExplanationSchema = Type.Unsafe<Record<string, unknown> | null>({
  type: ['object', 'null'],
  additionalProperties: true,
  description: 'Feature and word attributions of the prediction, or null when the model gives none.',
});

/** Advice derived from the prediction; each says why. */
export const RecommendationSchema = Type.Object(
  {
    action: Type.String(),
    reason: Type.String(),
  },
  { additionalProperties: true },
);

/** A recommendation. */
export type Recommendation = Static<typeof RecommendationSchema>;

/** The answer of `POST /api/v1/predict` (and each successful batch entry). */
export const PredictionSchema = Type.Object(
  {
    id: Type.String({ description: 'Prediction id; send it back as predictionId with feedback.' }),
    itemId: Type.Optional(Type.String({ description: 'Your id for the item, when you sent one.' })),
    model: ModelRefSchema,
    severity: SeveritySchema,
    probabilities: ProbabilitiesSchema,
    confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Probability of the predicted class.' }),
    anomalyScore: nullableUnit(
      'How unlike the training data the text is (0..1), or null when the model has no anomaly detector.',
    ),
    entities: EntitiesSchema,
    techniques: Type.Array(TechniqueSchema),
    explanation: ExplanationSchema,
    recommendations: Type.Array(RecommendationSchema),
    cached: Type.Boolean({ description: 'True when the model output came from the prediction cache.' }),
    latencyMs: Type.Number({ minimum: 0, description: 'Server time to answer this item, in milliseconds.' }),
  },
  { additionalProperties: false },
);

/** A prediction as returned. */
export type Prediction = Static<typeof PredictionSchema>;

/** Body of `POST /api/v1/predict/batch`; items are checked one by one so a bad item fails alone. */
export function batchRequestSchema(maxItems: number) {
  return Type.Object(
    {
      items: Type.Array(Type.Unknown(), {
        minItems: 1,
        maxItems,
        description: `1 to ${maxItems} items, each shaped like the body of POST /api/v1/predict.`,
      }),
    },
    { additionalProperties: false },
  );
}

/** One entry of a batch answer, in the order of the request's items. */
export const BatchEntrySchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    status: Type.Integer({ description: '200 when predicted, else the status the item alone would get.' }),
    prediction: Type.Optional(PredictionSchema),
    error: Type.Optional(ProblemSchema),
  },
  { additionalProperties: false },
);

/** A batch entry. */
export type BatchEntry = Static<typeof BatchEntrySchema>;

/** The answer of `POST /api/v1/predict/batch`. */
export const BatchReplySchema = Type.Object(
  {
    results: Type.Array(BatchEntrySchema),
    succeeded: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
