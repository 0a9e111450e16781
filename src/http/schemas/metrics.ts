import Type from 'typebox';
import { DriftReportSchema } from '../../learning/index.js';
import { SEVERITY_CLASSES } from '../../model/index.js';

const count = Type.Integer({ minimum: 0 });

/** Live figures of one model version. */
const ModelMetricsSchema = Type.Object(
  {
    family: Type.String(),
    version: Type.String(),
    active: Type.Boolean({ description: 'True for the version answering requests in this process.' }),
    holdout: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
      description:
        "Evaluation figures from the model's manifest; null for a version this process has not loaded.",
    }),
    predictions: Type.Object(
      {
        total: count,
        byClass: Type.Object(
          Object.fromEntries(SEVERITY_CLASSES.map((c) => [c, count])) as Record<
            (typeof SEVERITY_CLASSES)[number],
            typeof count
          >,
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false, description: 'Stored predictions (within the retention period).' },
    ),
    feedback: Type.Object(
      {
        total: count,
        agreed: count,
        agreementRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
          description: 'agreed / total; null without feedback.',
        }),
      },
      { additionalProperties: false },
    ),
    latencyMs: Type.Union(
      [
        Type.Object(
          {
            window: Type.Integer({
              minimum: 1,
              description: 'How many recent predictions the figures cover.',
            }),
            p50: Type.Number(),
            p95: Type.Number(),
            p99: Type.Number(),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: 'Server-side latency percentiles of recent predictions; null before the first.' },
    ),
  },
  { additionalProperties: false },
);

/** The answer of `GET /api/v1/metrics`. */
export const ApiMetricsSchema = Type.Object(
  {
    generatedAt: Type.String(),
    activeModel: Type.Union([
      Type.Object({ family: Type.String(), version: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    models: Type.Array(ModelMetricsSchema),
    drift: Type.Optional(
      Type.Union([DriftReportSchema, Type.Null()], {
        description:
          "PSI per feature family and on the predicted-class mix, KS per numeric slot: this replica's live traffic against the active model's training reference.",
      }),
    ),
  },
  { additionalProperties: false },
);
