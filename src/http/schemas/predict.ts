import Type, { type Static } from 'typebox';
import { SEVERITY_CLASSES } from '../../model/index.js';
import { ModelRefSchema, nullableUnit, ProblemSchema, SeveritySchema, TextSchema } from './common.js';

/** The explanation levels a request can ask for (see {@link ExplainLevelSchema}). */
export const EXPLAIN_LEVELS = ['none', 'words', 'shapley'] as const;

/** How much explanation a prediction carries, and what it costs. */
export const ExplainLevelSchema = Type.Union(
  [Type.Literal('none'), Type.Literal('words'), Type.Literal('shapley')],
  {
    description:
      'How much explanation to compute. "words" (default): the words (model tokens) that moved the predicted class most, with their offsets, by exact leave-one-out occlusion (a few ms of CPU). "shapley": Shapley values of words (exact for up to 8 words, else KernelSHAP with 256 model calls) whose baseValue + values add up to the predicted probability, plus, for 128-slot vector models, exact Shapley values of the eight feature families; about 8-15 times the CPU of "words": for analyst views, not bulk scoring. "none": explanation is null.',
  },
);

/** An explanation level. */
export type ExplainLevel = Static<typeof ExplainLevelSchema>;

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
    explain: Type.Optional(ExplainLevelSchema),
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

const AttributedUnitSchema = Type.Object(
  {
    text: Type.String({ description: 'The unit as written: text.slice(start, end) of the normalised text.' }),
    start: Type.Integer({ minimum: 0, description: 'Offset (UTF-16 code units) in the normalised text.' }),
    end: Type.Integer({ minimum: 0, description: 'Exclusive end offset.' }),
    value: Type.Number({
      description:
        'Change in the probability of explainedClass this unit accounts for (positive: pushed it up).',
    }),
  },
  { additionalProperties: false },
);

/** Why the model decided as it did; null when the request asked for `explain: "none"`. */
export const ExplanationSchema = Type.Union(
  [
    Type.Object(
      {
        level: Type.Union([Type.Literal('words'), Type.Literal('shapley')]),
        explainedClass: Type.String({
          description: 'The class whose probability is explained (the predicted one).',
        }),
        words: Type.Optional(
          Type.Object(
            {
              method: Type.Union(
                [
                  Type.Literal('leave-one-out'),
                  Type.Literal('exact-shapley-words'),
                  Type.Literal('kernel-shap-words'),
                ],
                {
                  description:
                    'leave-one-out: each value is the probability with the full text minus without that unit (no additivity). Shapley methods: baseValue + sum of all values = prediction.',
                },
              ),
              unit: Type.Union([Type.Literal('token'), Type.Literal('word'), Type.Literal('phrase')], {
                description: "token: the model's own tokens; phrase: runs of words for long texts.",
              }),
              baseValue: Type.Optional(
                Type.Number({
                  description: 'Shapley methods: probability of the class with every unit removed.',
                }),
              ),
              prediction: Type.Number({ description: 'Probability of the class for the full text.' }),
              modelCalls: Type.Integer({ minimum: 0 }),
              units: Type.Integer({ minimum: 0, description: 'Units the text was split into.' }),
              otherValue: Type.Optional(
                Type.Number({
                  description:
                    'Shapley methods: sum of the values of the units not in top (baseValue + Σ top + otherValue = prediction).',
                }),
              ),
              top: Type.Array(AttributedUnitSchema, {
                description: 'The strongest units, largest |value| first.',
              }),
            },
            { additionalProperties: false },
          ),
        ),
        families: Type.Optional(
          Type.Object(
            {
              method: Type.Literal('exact-shapley-families'),
              baseValue: Type.Number({
                description: 'Probability of the class for the training-mean vector.',
              }),
              prediction: Type.Number(),
              backgroundRows: Type.Integer({ minimum: 1 }),
              values: Type.Array(
                Type.Object(
                  {
                    family: Type.String(),
                    slots: Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]),
                    value: Type.Number(),
                  },
                  { additionalProperties: false },
                ),
                {
                  description:
                    'One per feature family of the 128-slot vector; baseValue + Σ value = prediction.',
                },
              ),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Word and feature-family attributions of the prediction, or null when not asked for.' },
);

/** An explanation. */
export type Explanation = Static<typeof ExplanationSchema>;

/** Advice derived from the prediction; each says why. */
export const RecommendationSchema = Type.Object(
  {
    kind: Type.Optional(
      Type.String({
        description:
          'Stable code: cve-known-exploited, severity-action, low-confidence-review, anomalous-input-review, cve-patch, indicator-block, indicator-hunt, indicator-warninglisted, technique-mitigate, technique-detect.',
      }),
    ),
    priority: Type.Optional(Type.String({ description: 'urgent, high, medium, low or info.' })),
    action: Type.String({ description: 'What to do.' }),
    reason: Type.String({ description: 'Why: the evidence behind the advice.' }),
    subjects: Type.Optional(
      Type.Array(Type.String(), { description: 'CVE ids, indicator values or technique ids it is about.' }),
    ),
    omitted: Type.Optional(Type.Integer({ minimum: 0, description: 'Subjects left out over the cap.' })),
    evidence: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Machine-readable evidence (KEV entry, warninglists, mitigations).',
      }),
    ),
  },
  { additionalProperties: false },
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
