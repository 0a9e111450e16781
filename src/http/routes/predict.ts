import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PredictionService } from '../prediction-service.js';
import { problemOf, STATUS_BY_KIND } from '../problem.js';
import { PROTECTED_ERRORS } from '../schemas/common.js';
import {
  type BatchEntry,
  BatchReplySchema,
  batchRequestSchema,
  PredictItemSchema,
  PredictionSchema,
} from '../schemas/predict.js';

/** Dependencies of the prediction routes. */
export interface PredictRouteDeps {
  service: PredictionService;
  /** Largest batch, in items. */
  batchMaxItems: number;
  /** Largest batch body, in bytes. */
  batchMaxBytes: number;
  /** Items of a batch not started within this many ms are answered 503 CS_ERR_TIMEOUT. */
  batchTimeLimitMs: number;
}

// Either scheme works; see docs.ts.
const SECURITY: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { bearer: [] }];

/** `POST /api/v1/predict` (one item) and `POST /api/v1/predict/batch` (up to `batchMaxItems`). */
export const predictRoutes: FastifyPluginAsyncTypebox<PredictRouteDeps> = async (app, deps) => {
  app.post(
    '/api/v1/predict',
    {
      config: { auth: ['predict'], shedWhenOverloaded: true },
      schema: {
        tags: ['predict'],
        summary: 'Severity, indicators, techniques and explanation for one text',
        description:
          'Needs a key with role predict or admin. The text is normalised (Unicode NFC, LF line endings) before analysis; offsets refer to the normalised text. Every answer is stored with its model version.',
        security: SECURITY,
        body: PredictItemSchema,
        response: { 200: PredictionSchema, ...PROTECTED_ERRORS },
      },
    },
    async (request) => deps.service.predictOne(request.body, request.principal),
  );

  app.post(
    '/api/v1/predict/batch',
    {
      bodyLimit: deps.batchMaxBytes,
      // Longer than the scoring deadline, so a batch past it still answers its finished items.
      handlerTimeout: deps.batchTimeLimitMs * 2,
      // A prototype-polluting key inside one item fails that item alone (see json-body.ts).
      config: { auth: ['predict'], shedWhenOverloaded: true, bodyItemsCheckedAlone: 'items' },
      schema: {
        tags: ['predict'],
        summary: `Up to ${deps.batchMaxItems} texts in one request (body up to ${deps.batchMaxBytes} bytes)`,
        description:
          'Results come back in the order of the items. An invalid item gets its own entry with a status and a problem document, and does not fail the others. Items not started within the request time limit get a 503 CS_ERR_TIMEOUT entry.',
        security: SECURITY,
        body: batchRequestSchema(deps.batchMaxItems),
        response: { 200: BatchReplySchema, ...PROTECTED_ERRORS },
      },
    },
    async (request) => {
      const outcomes = await deps.service.predictMany(
        request.body.items,
        request.principal,
        deps.batchTimeLimitMs,
      );
      let failed = 0;
      const results = outcomes.map((o, index): BatchEntry => {
        if (o.ok) return { index, status: 200, prediction: o.prediction };
        failed++;
        const status = STATUS_BY_KIND[o.error.kind];
        if (status >= 500) request.log.error({ err: o.error, index }, 'batch item failed');
        return { index, status, error: problemOf(o.error, request.id) as BatchEntry['error'] & object };
      });
      return { results, succeeded: results.length - failed, failed };
    },
  );
};
