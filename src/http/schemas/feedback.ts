import Type, { type Static } from 'typebox';
import { ProblemSchema, SeveritySchema, TextSchema } from './common.js';

/** Body of `POST /api/v1/feedback`: exactly one of `predictionId` and `text`, and the right label. */
export const FeedbackRequestSchema = Type.Object(
  {
    predictionId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'The id of the prediction this corrects (from POST /api/v1/predict).',
      }),
    ),
    text: Type.Optional(TextSchema),
    correctLabel: SeveritySchema,
    techniques: Type.Optional(
      Type.Array(Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }), {
        maxItems: 100,
        uniqueItems: true,
        description: 'ATT&CK technique ids the text describes, e.g. T1190 or T1059.001.',
      }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 2_000 })),
    analyst: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  {
    additionalProperties: false,
    description: 'Give predictionId (preferred) or the text, not both.',
  },
);

/** A validated feedback body. */
export type FeedbackRequest = Static<typeof FeedbackRequestSchema>;

/** The answer of `POST /api/v1/feedback` (201): the stored item and what it was linked to. */
export const FeedbackReplySchema = Type.Object(
  {
    id: Type.String({ description: 'The stored feedback id.' }),
    predictionId: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([
      Type.Object({ family: Type.String(), version: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    predictedSeverity: Type.Union([SeveritySchema, Type.Null()]),
    correctLabel: SeveritySchema,
    agreed: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Whether the label equals what the model predicted; null when no prediction was found.',
    }),
    createdAt: Type.String({ description: 'ISO 8601.' }),
  },
  { additionalProperties: false },
);

/** Error responses of the feedback route. */
export const FEEDBACK_ERRORS = { 404: ProblemSchema } as const;
