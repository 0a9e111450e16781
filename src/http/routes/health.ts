import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { type Clock, withTimeout } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import type { Predictor } from '../predictor.js';
import { ProbeQuerySchema } from '../schemas/common.js';

/** The part of a Redis client `/ready` uses (an ioredis `Redis` is one). */
export interface ReadyRedis {
  ping(): Promise<unknown>;
  /** ioredis's connection state (`ready`, `reconnecting`, `end`...), named when the PING fails. */
  readonly status?: string;
}

/** Dependencies of the health routes. */
export interface HealthDeps {
  store: Store;
  predictor: Predictor;
  clock: Clock;
  version: string;
  /** The Redis carrying the cache, rate limits and job queue; absent: no `redis` check. */
  redis?: ReadyRedis;
  /** How long `/ready` waits for Redis to answer PING, in milliseconds. Default 1,000. */
  redisTimeoutMs?: number;
}

/** Resolves when Redis answers PING within `timeoutMs`, else rejects with why. */
async function pingRedis(redis: ReadyRedis, timeoutMs: number): Promise<void> {
  await withTimeout(redis.ping(), timeoutMs, () => new Error(`no answer to PING within ${timeoutMs} ms`));
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
 * `GET /health` (liveness: the process answers, nothing else is checked) and
 * `GET /ready` (readiness: the store answers AND a model is loaded AND, when
 * the service runs on Redis, Redis answers PING in time). Both are public.
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
        summary:
          'Readiness: store reachable, model loaded and, with REDIS_URL, Redis answering (503 otherwise)',
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
      if (deps.redis !== undefined) {
        try {
          await pingRedis(deps.redis, deps.redisTimeoutMs ?? 1_000);
          checks.redis = { ok: true };
        } catch (err) {
          const status = deps.redis.status;
          const state = status === undefined || status === 'ready' ? '' : ` (connection ${status})`;
          checks.redis = { ok: false, detail: `${(err as Error).message}${state}` };
        }
      }
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks });
    },
  );
};
