import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AppError, type Clock } from '../core/index.js';
import type { Store } from '../store/index.js';
import { errorHandler } from './error-handler.js';
import { healthRoutes } from './routes/health.js';

/** Everything the HTTP layer needs, built by `src/main` and passed in. */
export interface AppDeps {
  store: Store;
  logger: FastifyBaseLogger;
  clock: Clock;
  /** Package version, reported by /health. */
  version: string;
  /** Largest accepted request body, in bytes. Default 6 MiB. */
  bodyLimitBytes?: number;
  /** Time after which a request is answered 503. Default 30 s. */
  requestTimeoutMs?: number;
}

/**
 * Builds the Fastify app without listening, so tests drive it with `app.inject()`.
 * Each request gets an id (from `x-request-id` when the caller sends a sane one) and a child logger.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes ?? 6 * 1024 * 1024,
    requestTimeout: deps.requestTimeoutMs ?? 30_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    errorHandler(
      new AppError('CS_ERR_NOT_FOUND', `No route ${request.method} ${request.url}`),
      request,
      reply,
    );
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(healthRoutes, { store: deps.store, clock: deps.clock, version: deps.version });
  return app;
}
