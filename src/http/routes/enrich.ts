import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EnrichResultSchema } from '../../graph/index.js';
import type { Enricher } from '../enricher.js';
import { PROTECTED_ERRORS, ProblemSchema } from '../schemas/common.js';
import { EnrichRequestSchema } from '../schemas/enrich.js';

/** Dependencies of the enrichment route. */
export interface EnrichRouteDeps {
  enricher: Enricher;
}

/** `POST /api/v1/enrich`: what the knowledge graph knows around a text, a stored prediction, or indicators. */
export const enrichRoutes: FastifyPluginAsyncTypebox<EnrichRouteDeps> = async (app, deps) => {
  app.post(
    '/api/v1/enrich',
    {
      config: { auth: ['predict'], shedWhenOverloaded: true },
      schema: {
        tags: ['enrich'],
        summary: 'Techniques, related threats, actors, mitigations and KEV status from the knowledge graph',
        description:
          'Needs a key with role predict or admin. Give text, or predictionId (a stored prediction: its text and techniques are used and its own threat is left out), or indicators/techniques/cves.',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: EnrichRequestSchema,
        response: { 200: EnrichResultSchema, ...PROTECTED_ERRORS, 404: ProblemSchema },
      },
    },
    // The enricher checks and resolves the request (shared with the CLI's `graph enrich`).
    async (request) => deps.enricher.enrich(request.body),
  );
};
