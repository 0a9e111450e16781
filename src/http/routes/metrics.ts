import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { Clock } from '../../core/index.js';
import type { DriftReport } from '../../learning/index.js';
import { SEVERITY_CLASSES } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { ServiceMetrics } from '../metrics.js';
import { percentile } from '../percentiles.js';
import type { Predictor } from '../predictor.js';
import { NoQuerySchema, PROTECTED_ERRORS, ProbeQuerySchema } from '../schemas/common.js';
import { ApiMetricsSchema } from '../schemas/metrics.js';

/** Dependencies of the metrics routes. */
export interface MetricsRouteDeps {
  store: Store;
  predictor: Predictor;
  metrics: ServiceMetrics;
  clock: Clock;
  /** How many recent predictions per model version the latency percentiles cover. Default 10,000. */
  latencyWindow?: number;
  /** This replica's drift report (self-learning loop); absent: no `drift` field. */
  drift?: () => DriftReport | null;
}

type ModelMetrics = Static<typeof ApiMetricsSchema>['models'][number];

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * `GET /api/v1/metrics`: model performance as JSON (any valid key), and
 * `GET /metrics`: Prometheus text exposition (admin key; point Prometheus's
 * `authorization` at one).
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRouteDeps> = async (app, deps) => {
  const window = deps.latencyWindow ?? 10_000;

  app.get(
    '/api/v1/metrics',
    {
      config: { auth: ['predict', 'feedback'] },
      schema: {
        tags: ['metrics'],
        summary: 'Per model version: manifest figures, live class counts, feedback agreement, latency',
        security: [{ apiKey: [] }, { bearer: [] }],
        querystring: NoQuerySchema,
        response: { 200: ApiMetricsSchema, ...PROTECTED_ERRORS },
      },
    },
    async () => {
      const [counts, agreement] = await Promise.all([
        deps.store.predictions.classCounts(),
        deps.store.feedback.agreementByModel(),
      ]);
      const active = deps.predictor.current();
      const byVersion = new Map<string, ModelMetrics>();
      const entry = (family: string, version: string): ModelMetrics => {
        const id = `${family}\u0000${version}`;
        let m = byVersion.get(id);
        if (m === undefined) {
          m = {
            family,
            version,
            active: active?.family === family && active.version === version,
            holdout: null,
            predictions: {
              total: 0,
              byClass: Object.fromEntries(
                SEVERITY_CLASSES.map((c) => [c, 0]),
              ) as ModelMetrics['predictions']['byClass'],
            },
            feedback: { total: 0, agreed: 0, agreementRate: null },
            latencyMs: null,
          };
          byVersion.set(id, m);
        }
        return m;
      };
      for (const info of deps.predictor.models()) entry(info.family, info.version).holdout = info.holdout;
      for (const c of counts) {
        const m = entry(c.modelFamily, c.modelVersion);
        m.predictions.total += c.count;
        if ((SEVERITY_CLASSES as readonly string[]).includes(c.severity)) {
          m.predictions.byClass[c.severity as keyof ModelMetrics['predictions']['byClass']] += c.count;
        }
      }
      for (const a of agreement) {
        const m = entry(a.modelFamily, a.modelVersion);
        m.feedback = {
          total: a.total,
          agreed: a.agreed,
          agreementRate: a.total === 0 ? null : a.agreed / a.total,
        };
      }
      for (const m of byVersion.values()) {
        if (m.predictions.total === 0) continue;
        const latencies = await deps.store.predictions.recentLatencies(m.family, m.version, window);
        if (latencies.length > 0) {
          m.latencyMs = {
            window: latencies.length,
            p50: round(percentile(latencies, 50)),
            p95: round(percentile(latencies, 95)),
            p99: round(percentile(latencies, 99)),
          };
        }
      }
      return {
        generatedAt: new Date(deps.clock.now()).toISOString(),
        activeModel: active === undefined ? null : { family: active.family, version: active.version },
        models: [...byVersion.values()],
        ...(deps.drift === undefined ? {} : { drift: deps.drift() }),
      };
    },
  );

  app.get(
    '/metrics',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus metrics (text exposition format); needs an admin key',
        security: [{ apiKey: [] }, { bearer: [] }],
        produces: ['text/plain'],
        querystring: ProbeQuerySchema,
        response: {
          200: Type.String({ description: 'Prometheus text exposition format 0.0.4.' }),
          ...PROTECTED_ERRORS,
        },
      },
    },
    async (_request, reply) => {
      const body = await (deps.metrics.exposition?.() ?? deps.metrics.registry.metrics());
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
};
