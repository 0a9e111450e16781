import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Clock } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import type { Predictor } from '../predictor.js';
import { ProbeQuerySchema } from '../schemas/common.js';

/** Dependencies of the health routes. */
export interface HealthDeps {
  store: Store;
  predictor: Predictor;
  clock: Clock;
  version: string;
}

const HealthReply = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

const ReadyReply = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Record(
    Type.String(),
    Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) }),
  ),
});

/**
 * `GET /health` (liveness: the process answers) and `GET /ready` (readiness:
 * the store answers AND a model is loaded). Both are public.
 */
export const healthRoutes: FastifyPluginAsync<HealthDeps> = async (app, deps) => {
  const startedAt = deps.clock.now();

  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        querystring: ProbeQuerySchema,
        response: { 200: HealthReply },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: deps.version,
      uptimeSeconds: (deps.clock.now() - startedAt) / 1000,
    }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: store reachable and model loaded (503 otherwise)',
        querystring: ProbeQuerySchema,
        response: { 200: ReadyReply, 503: ReadyReply },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      try {
        await deps.store.ping();
        checks.store = { ok: true, detail: deps.store.kind };
      } catch (err) {
        checks.store = { ok: false, detail: (err as Error).message };
      }
      const model = deps.predictor.current();
      checks.model =
        model === undefined
          ? { ok: false, detail: 'no severity model loaded' }
          : { ok: true, detail: `${model.family} ${model.version}` };
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks });
    },
  );
};
