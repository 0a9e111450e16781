import Type, { type Static } from 'typebox';
import { MODEL_STATUSES } from '../../store/index.js';

const Iso = Type.String({ description: 'ISO 8601.' });
const NullableIso = Type.Union([Iso, Type.Null()]);

/** A model version as `GET /api/v1/models` lists it (the `models list --json` entry). */
export const ModelVersionSchema = Type.Object(
  {
    version: Type.String(),
    family: Type.String(),
    status: Type.Enum([...MODEL_STATUSES]),
    metrics: Type.Record(Type.String(), Type.Number(), {
      description: 'Holdout figures (`holdout.*`, on the gate holdout) and the manifest figures.',
    }),
    parent: Type.Union([Type.String(), Type.Null()], { description: 'The version it was retrained from.' }),
    createdAt: Iso,
    statusChangedAt: Iso,
    trainingDataSha256: Type.String(),
  },
  { additionalProperties: false },
);

/** One row of a version's status history. */
export const StatusChangeSchema = Type.Object(
  {
    from: Type.Union([Type.Enum([...MODEL_STATUSES]), Type.Null()]),
    to: Type.Enum([...MODEL_STATUSES]),
    actor: Type.String({
      description: 'Who or what changed it: gate, cli, api:<key id>, retrain-job:<id>, system.',
    }),
    reason: Type.String(),
    at: Iso,
  },
  { additionalProperties: false },
);

/** One version in detail: the list entry, manifest, the gate's evaluation and the status history. */
export const ModelDetailSchema = Type.Object(
  {
    ...ModelVersionSchema.properties,
    manifest: Type.Unknown(),
    evaluation: Type.Unknown({
      description: "The retraining job's figures and the gate's decision; null for shipped models.",
    }),
    history: Type.Array(StatusChangeSchema),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/models`. */
export const ModelListSchema = Type.Object(
  {
    servingFamily: Type.Union([Type.String(), Type.Null()], {
      description: 'The family this service answers with.',
    }),
    canaryShare: Type.Number({ minimum: 0, maximum: 1 }),
    models: Type.Array(ModelVersionSchema),
  },
  { additionalProperties: false },
);

/** A retraining job's record. */
export const JobSchema = Type.Object(
  {
    id: Type.String(),
    family: Type.String(),
    trigger: Type.String({ description: 'manual, feedback, schedule or drift.' }),
    requestedBy: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
    ]),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    message: Type.Union([Type.String(), Type.Null()]),
    attempts: Type.Integer({ minimum: 0 }),
    error: Type.Union([Type.String(), Type.Null()]),
    result: Type.Unknown({ description: 'Once succeeded: candidate version, figures, the gate decision.' }),
    createdAt: Iso,
    startedAt: NullableIso,
    finishedAt: NullableIso,
  },
  { additionalProperties: false },
);

/** A job as answered. */
export type JobReply = Static<typeof JobSchema>;

/** Body of `POST /api/v1/models/retrain`. */
export const RetrainRequestSchema = Type.Object(
  {
    family: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    settings: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9._]{1,100}$' }), Type.String({ maxLength: 200 }), {
        maxProperties: 50,
        description: "Training settings on top of the parent's (`key=value` names, e.g. epochs).",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/v1/models/retrain` (202). */
export const RetrainReplySchema = Type.Object(
  {
    created: Type.Boolean({
      description: 'False when a retraining of the family was already queued (that job is returned).',
    }),
    job: JobSchema,
  },
  { additionalProperties: false },
);

/** Body of `POST /api/v1/models/{family}/{version}/promote`. */
export const PromoteRequestSchema = Type.Object(
  {
    to: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('canary'), Type.Literal('shadow')], {
        description: 'Default active.',
      }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/v1/models/{family}/{version}/demote`. */
export const DemoteRequestSchema = Type.Object(
  {
    to: Type.Optional(
      Type.Union([Type.Literal('candidate'), Type.Literal('retired')], { description: 'Default candidate.' }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/v1/models/{family}/rollback`. */
export const RollbackRequestSchema = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

/** The answer of a promotion or rollback. */
export const TransitionReplySchema = Type.Object(
  { changed: ModelVersionSchema, demoted: Type.Union([ModelVersionSchema, Type.Null()]) },
  { additionalProperties: false },
);

/** Path parameters naming a version. */
export const VersionParamsSchema = Type.Object(
  {
    family: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
    version: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._+-]+$' }),
  },
  { additionalProperties: false },
);

/** Path parameter naming a family. */
export const FamilyParamsSchema = Type.Object(
  { family: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }) },
  { additionalProperties: false },
);

/** `GET /api/v1/models/sources`: learned source reputations. */
export const ReputationListSchema = Type.Object(
  {
    sources: Type.Array(
      Type.Object(
        {
          source: Type.String({ description: 'Normalised source key.' }),
          reputation: Type.Number({ minimum: 0, maximum: 1 }),
          observations: Type.Integer({ minimum: 0, description: 'Feedback items that moved it.' }),
          corrected: Type.Integer({ minimum: 0, description: 'Of those, corrections of the model.' }),
          updatedAt: Iso,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Query of `GET /api/v1/models/jobs` (strings: query values are not coerced). */
export const JobsQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.String({ pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: '1..200, default 50.' }),
    ),
  },
  { additionalProperties: false },
);

/** Query of `GET /api/v1/review` (strings: query values are not coerced). */
export const ReviewQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$', description: '1..1000, default 20.' }),
    ),
    ranking: Type.Optional(
      Type.Union([Type.Literal('margin'), Type.Literal('entropy')], { description: 'Default margin.' }),
    ),
  },
  { additionalProperties: false },
);

/** One item of the review queue. */
export const ReviewItemSchema = Type.Object(
  {
    predictionId: Type.String({
      description: 'Answer it with POST /api/v1/feedback {predictionId, correctLabel}.',
    }),
    createdAt: Iso,
    model: Type.Object({ family: Type.String(), version: Type.String() }, { additionalProperties: false }),
    severity: Type.String(),
    probabilities: Type.Record(Type.String(), Type.Number()),
    confidence: Type.Number(),
    margin: Type.Number({ description: 'Top-1 minus top-2 probability.' }),
    entropy: Type.Number({ description: 'Normalised entropy, 0..1.' }),
    text: Type.String(),
    truncated: Type.Boolean(),
    source: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/review`. */
export const ReviewReplySchema = Type.Object(
  {
    ranking: Type.Union([Type.Literal('margin'), Type.Literal('entropy')]),
    items: Type.Array(ReviewItemSchema),
  },
  { additionalProperties: false },
);
