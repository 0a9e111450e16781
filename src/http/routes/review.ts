import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LearningHttpDeps } from '../learning-deps.js';
import { PROTECTED_ERRORS } from '../schemas/common.js';
import { ReviewQuerySchema, ReviewReplySchema } from '../schemas/learning.js';

/**
 * `GET /api/v1/review`: the predictions the model was least sure of (smallest
 * top-1/top-2 margin, or highest entropy), one per text, that no feedback has
 * answered yet. Analysts answer them with `POST /api/v1/feedback`, which takes
 * them out of the queue.
 */
export const reviewRoutes: FastifyPluginAsyncTypebox<LearningHttpDeps> = async (app, deps) => {
  app.get(
    '/api/v1/review',
    {
      config: { auth: ['feedback'] },
      schema: {
        tags: ['feedback'],
        summary: 'The review queue: least-sure unanswered predictions, answered through feedback',
        security: [{ apiKey: [] }, { bearer: [] }],
        querystring: ReviewQuerySchema,
        response: { 200: ReviewReplySchema, ...PROTECTED_ERRORS },
      },
    },
    async (request) => {
      const ranking = request.query.ranking ?? 'margin';
      const items = await deps.review.list({
        limit: Number(request.query.limit ?? '20'),
        ranking,
        ...(deps.servingFamily === null ? {} : { family: deps.servingFamily }),
      });
      return { ranking, items: items.map((i) => ({ ...i, createdAt: new Date(i.createdAt).toISOString() })) };
    },
  );
};
