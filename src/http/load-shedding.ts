import underPressure from '@fastify/under-pressure';
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
  /**
   * Mean event-loop delay over one sample, in ms, above which flagged routes
   * are refused; 0 turns shedding off.
   */
  maxEventLoopDelayMs: number;
  /** Length of one sample, in ms. Default 250. */
  sampleIntervalMs?: number;
  metrics: ServiceMetrics;
}

/** Seconds a refused client is asked to wait (`Retry-After`). */
const RETRY_AFTER_SECONDS = 1;

/**
 * Load shedding with `@fastify/under-pressure`: when the mean event-loop delay
 * of the last sample exceeds the limit, requests to routes flagged
 * `shedWhenOverloaded` are answered at once with 503 `CS_ERR_OVERLOADED`
 * and `Retry-After`, before authentication and parsing work, instead of
 * queueing behind the backlog until they time out. The delay is the time a
 * request waits for the single JavaScript thread, so it bounds the latency of
 * the requests that are served; clients see the refusal and can retry or go to
 * another replica. Other routes pass. Register before the routes.
 */
export async function installLoadShedding(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  if (options.maxEventLoopDelayMs <= 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    sampleInterval: options.sampleIntervalMs ?? 250,
    exposeStatusRoute: false,
    pressureHandler: async (request, reply, _type, value) => {
      if (request.routeOptions.config.shedWhenOverloaded !== true) return;
      options.metrics.requestsShed.inc({ route: request.routeOptions.url ?? 'unmatched' });
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      // Infinity: the loop did not turn once during the sample (under-pressure's reading).
      const delay =
        value !== undefined && Number.isFinite(value) ? `${Math.round(value)} ms` : 'over one sample';
      throw new AppError(
        'CS_ERR_OVERLOADED',
        `The service is overloaded (event-loop delay ${delay}, limit ${options.maxEventLoopDelayMs} ms); retry later`,
      );
    },
  });
}
