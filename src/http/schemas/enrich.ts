import Type from 'typebox';
import { IndicatorInputSchema } from '../../graph/index.js';
import { TextSchema } from './common.js';

/** Body of `POST /api/v1/enrich`: a text, a stored prediction, or indicators/techniques/CVEs. */
export const EnrichRequestSchema = Type.Object(
  {
    text: Type.Optional(TextSchema),
    predictionId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'A stored prediction.',
      }),
    ),
    indicators: Type.Optional(Type.Array(IndicatorInputSchema, { maxItems: 2000 })),
    techniques: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }),
            score: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Default 1.' })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 300 },
      ),
    ),
    cves: Type.Optional(
      Type.Array(Type.String({ pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' }), { maxItems: 500 }),
    ),
    maxThreats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 10.' })),
    maxActors: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Default 10.' })),
  },
  {
    additionalProperties: false,
    description:
      'Give text, or predictionId, or any of indicators/techniques/cves. With text, the indicators, CVEs and techniques found in it are added.',
  },
);
