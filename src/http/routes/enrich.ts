import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../core/index.js';
import { EnrichResultSchema } from '../../graph/index.js';
import type { PredictionRepository } from '../../store/index.js';
import type { Enricher, EnrichQuery } from '../enricher.js';
import { normaliseText } from '../normalise-text.js';
import { PROTECTED_ERRORS, ProblemSchema } from '../schemas/common.js';
import { EnrichRequestSchema } from '../schemas/enrich.js';
import type { Technique } from '../schemas/predict.js';

/** Dependencies of the enrichment route. */
export interface EnrichRouteDeps {
  enricher: Enricher;
  predictions: PredictionRepository;
}

function invalid(message: string, fields: string[]): AppError {
  return new AppError('CS_ERR_VALIDATION', `Invalid body: ${message}`, {
    details: { fields: fields.map((field) => ({ field, message })) },
  });
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
    async (request) => {
      const b = request.body;
      const given = b.indicators !== undefined || b.techniques !== undefined || b.cves !== undefined;
      if (b.predictionId !== undefined && (b.text !== undefined || given)) {
        throw invalid('predictionId cannot be combined with text, indicators, techniques or cves', [
          'predictionId',
        ]);
      }
      if (b.predictionId === undefined && b.text === undefined && !given) {
        throw invalid('give text, predictionId, or indicators/techniques/cves', [
          'text',
          'predictionId',
          'indicators',
        ]);
      }
      const limits = {
        ...(b.maxThreats === undefined ? {} : { maxThreats: b.maxThreats }),
        ...(b.maxActors === undefined ? {} : { maxActors: b.maxActors }),
      };
      let query: EnrichQuery;
      if (b.predictionId !== undefined) {
        const stored = await deps.predictions.get(b.predictionId);
        if (stored === undefined) {
          const message = 'no stored prediction has this id (never made, or purged by retention)';
          throw new AppError('CS_ERR_NOT_FOUND', `predictionId: ${message}`, {
            details: { fields: [{ field: 'predictionId', message }] },
          });
        }
        const techniques = ((stored.details as { techniques?: Technique[] } | null)?.techniques ?? []).map(
          (t) => ({ id: t.id, score: t.score }),
        );
        query = { text: stored.text, techniques, excludePredictionId: stored.id, ...limits };
      } else {
        query = {
          ...(b.text === undefined ? {} : { text: normaliseText(b.text) }),
          ...(b.indicators === undefined ? {} : { indicators: b.indicators }),
          ...(b.techniques === undefined
            ? {}
            : { techniques: b.techniques.map((t) => ({ id: t.id, score: t.score ?? 1 })) }),
          ...(b.cves === undefined ? {} : { cves: b.cves }),
          ...limits,
        };
      }
      return deps.enricher.enrich(query);
    },
  );
};
