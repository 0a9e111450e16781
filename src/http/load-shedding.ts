import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/index.js';
import type { ServiceMetrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Refuse the route with 503 CS_ERR_OVERLOADED while the process is
     * overloaded ({@link installLoadShedding}). Set on the routes that cost
     * CPU per request (predict, batch, enrich); health, metrics and feedback
     * are always served.
     */
    shedWhenOverloaded?: boolean;
  }
}

/** Options of {@link installLoadShedding}. */
export interface LoadSheddingOptions {
  /** Event-loop lag, in ms, above which flagged routes are refused; 0 turns shedding off. */
  maxLagMs: number;
  metrics: ServiceMetrics;
  /** Monotonic milliseconds (tests). Default `performance.now`. */
  now?: () => number;
}

/** Seconds a refused client is asked to wait (`Retry-After`). */
const RETRY_AFTER_SECONDS = 1;
/** Period of the tick that marks the loop's timers phase, in ms. */
const TICK_MS = 10;

/**
 * Load shedding by event-loop lag: a timer marks every pass of the event loop
 * through its timers phase, and a request to a route flagged
 * `shedWhenOverloaded` is answered at once with 503 `CS_ERR_OVERLOADED` and
 * `Retry-After` when the loop has not passed there for more than `maxLagMs`.
 *
 * Why that reading: Node reads the requests that are waiting on its sockets in
 * one poll phase and runs them one after the other; each of them arrived
 * before that phase began, so the time since the loop last ran its timers is
 * a lower bound (within one tick) on how long the request now starting has
 * already waited. Refusing past the limit keeps the answered requests'
 * latency near `maxLagMs` plus their own work, instead of queueing every
 * request until it times out. A mean over a sampling window
 * (`@fastify/under-pressure`) reacts a window late and, under steady
 * overload, swings between refusing everything and accepting a backlog.
 * The check runs before authentication and body parsing, so a refusal is
 * cheap. Register before the routes.
 */
export function installLoadShedding(app: FastifyInstance, options: LoadSheddingOptions): void {
  if (options.maxLagMs <= 0) return;
  const now = options.now ?? (() => performance.now());
  let lastTick = now();
  const ticker = setInterval(() => {
    lastTick = now();
  }, TICK_MS);
  ticker.unref();
  app.addHook('onClose', async () => clearInterval(ticker));
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.shedWhenOverloaded !== true) return;
    const lag = now() - lastTick - TICK_MS;
    if (lag <= options.maxLagMs) return;
    options.metrics.requestsShed.inc({ route: request.routeOptions.url ?? 'unmatched' });
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new AppError(
      'CS_ERR_OVERLOADED',
      `The service is overloaded (event-loop lag ${Math.round(lag)} ms, limit ${options.maxLagMs} ms); retry later`,
    );
  });
}
