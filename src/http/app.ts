import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError, type Clock } from '../core/index.js';
import type { KeyValueCache, Store } from '../store/index.js';
import { installAuth } from './auth.js';
import { installDocs } from './docs.js';
import type { Enricher, ThreatRecorder } from './enricher.js';
import { errorHandler } from './error-handler.js';
import { installHandlerTimeout } from './handler-timeout.js';
import { installJsonBodyParser } from './json-body.js';
import type { LearningHttpDeps } from './learning-deps.js';
import { installLoadShedding } from './load-shedding.js';
import { ServiceMetrics } from './metrics.js';
import { PredictionCache } from './prediction-cache.js';
import { PredictionService } from './prediction-service.js';
import type { Predictor } from './predictor.js';
import { installRateLimit } from './rate-limit.js';
import { enrichRoutes } from './routes/enrich.js';
import { feedbackRoutes } from './routes/feedback.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { predictRoutes } from './routes/predict.js';
import { reviewRoutes } from './routes/review.js';

/** Limits and switches of the API; every field has a default. */
export interface ApiSettings {
  /** Treat every request as admin (local use only). Default false. */
  authDisabled: boolean;
  /** Verified keys are remembered this long, in ms. Default 5,000. */
  authCacheTtlMs: number;
  /** Requests per key per window. Default 600. */
  rateLimitMax: number;
  /** Rate-limit window, in ms. Default 60,000. */
  rateLimitWindowMs: number;
  /** Largest single-item body, in bytes. Default 1 MiB. */
  bodyMaxBytes: number;
  /** Most items in a batch. Default 1,000. */
  batchMaxItems: number;
  /** Largest batch body, in bytes. Default 5 MiB. */
  batchMaxBytes: number;
  /** Time allowed to receive a request, and to score a batch, in ms. Default 30,000. */
  requestTimeoutMs: number;
  /** Lifetime of a cached prediction, in seconds; 0 disables the cache. Default 3,600. */
  cacheTtlSeconds: number;
  /**
   * Event-loop lag, in ms, above which predict, batch and enrich are refused
   * with 503 CS_ERR_OVERLOADED (see `load-shedding.ts`); 0: never. Default 0.
   */
  shedEventLoopLagMs: number;
}

/** The defaults of {@link ApiSettings} (the same as the configuration's). */
export const DEFAULT_API_SETTINGS: Readonly<ApiSettings> = Object.freeze({
  authDisabled: false,
  authCacheTtlMs: 5_000,
  rateLimitMax: 600,
  rateLimitWindowMs: 60_000,
  bodyMaxBytes: 1_048_576,
  batchMaxItems: 1_000,
  batchMaxBytes: 5_242_880,
  requestTimeoutMs: 30_000,
  cacheTtlSeconds: 3_600,
  shedEventLoopLagMs: 0,
});

/** Everything the HTTP layer needs, built by `src/main` and passed in. */
export interface AppDeps {
  store: Store;
  logger: FastifyBaseLogger;
  clock: Clock;
  /** Package version, reported by /health and the OpenAPI document. */
  version: string;
  /** Scores texts; see {@link Predictor}. */
  predictor: Predictor;
  /** Prediction cache backend (in-process LRU or Redis); absent: no cache. */
  cache?: KeyValueCache;
  /** Redis for shared rate limits, also checked by `/ready`; absent: in process, no check. */
  redis?: Redis;
  /** Prefix of Redis keys. Default `cyberstreams:`. */
  redisPrefix?: string;
  /** Metrics registry; default a new one with process metrics. */
  metrics?: ServiceMetrics;
  /** Overrides of {@link DEFAULT_API_SETTINGS}. */
  settings?: Partial<ApiSettings>;
  /** Monotonic milliseconds for latencies (tests). Default `performance.now`. */
  monotonic?: () => number;
  /** The knowledge graph behind `POST /api/v1/enrich`; absent: the route is not served. */
  enricher?: Enricher;
  /** Records every stored prediction as a graph Threat; absent: not recorded. */
  threats?: ThreatRecorder;
  /** The self-learning loop (registry, retraining, review queue, experiments, drift); absent: those routes are not served. */
  learning?: LearningHttpDeps;
}

/**
 * Builds the Fastify app without listening, so tests drive it with `app.inject()`.
 * Each request gets an id (from `x-request-id` when the caller sends a sane one)
 * and a child logger. Order matters: docs before routes (they collect route
 * schemas), auth before rate limits (limits count per verified key).
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const settings: ApiSettings = { ...DEFAULT_API_SETTINGS, ...deps.settings };
  const metrics = deps.metrics ?? new ServiceMetrics();
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: settings.bodyMaxBytes,
    requestTimeout: settings.requestTimeoutMs,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(errorHandler);
  // Application-level limit on each handler (answered 503 CS_ERR_TIMEOUT); receiving is bounded by requestTimeout.
  installHandlerTimeout(app, settings.requestTimeoutMs);
  app.setNotFoundHandler((request, reply) => {
    errorHandler(
      new AppError('CS_ERR_NOT_FOUND', `No route ${request.method} ${request.url}`),
      request,
      reply,
    );
  });
  // Before auth and the routes: a refused request costs no key check and no body parse.
  installLoadShedding(app, { maxLagMs: settings.shedEventLoopLagMs, metrics });
  installJsonBodyParser(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL, keeps label values bounded.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  installAuth(app, {
    apiKeys: deps.store.apiKeys,
    clock: deps.clock,
    metrics,
    disabled: settings.authDisabled,
    cacheTtlMs: settings.authCacheTtlMs,
  });
  await installRateLimit(app, {
    max: settings.rateLimitMax,
    windowMs: settings.rateLimitWindowMs,
    redis: deps.redis,
    redisPrefix: deps.redisPrefix,
  });
  await installDocs(app, deps.version);

  const cache =
    deps.cache !== undefined && settings.cacheTtlSeconds > 0
      ? new PredictionCache(deps.cache, settings.cacheTtlSeconds, metrics, (err) =>
          deps.logger.warn({ err }, 'prediction cache failed; treated as a miss'),
        )
      : undefined;
  const service = new PredictionService({
    predictor: deps.predictor,
    predictions: deps.store.predictions,
    cache,
    clock: deps.clock,
    metrics,
    ...(deps.monotonic === undefined ? {} : { monotonic: deps.monotonic }),
    threats: deps.threats,
    onThreatError: (err, predictionId) =>
      deps.logger.warn({ err, predictionId }, 'recording the prediction in the knowledge graph failed'),
  });
  await app.register(healthRoutes, {
    store: deps.store,
    predictor: deps.predictor,
    clock: deps.clock,
    version: deps.version,
    ...(deps.redis === undefined ? {} : { redis: deps.redis }),
  });
  await app.register(predictRoutes, {
    service,
    batchMaxItems: settings.batchMaxItems,
    batchMaxBytes: settings.batchMaxBytes,
    batchTimeLimitMs: settings.requestTimeoutMs,
  });
  await app.register(feedbackRoutes, {
    store: deps.store,
    predictor: deps.predictor,
    clock: deps.clock,
    metrics,
  });
  if (deps.enricher !== undefined) {
    await app.register(enrichRoutes, { enricher: deps.enricher });
  }
  await app.register(metricsRoutes, {
    store: deps.store,
    predictor: deps.predictor,
    metrics,
    clock: deps.clock,
    ...(deps.learning === undefined ? {} : { drift: deps.learning.drift }),
  });
  if (deps.learning !== undefined) await app.register(modelRoutes, deps.learning);
  if (deps.learning !== undefined) await app.register(reviewRoutes, deps.learning);
  return app;
}
