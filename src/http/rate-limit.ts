import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

/** Options of {@link installRateLimit}. */
export interface RateLimitOptions {
  /** Requests per window per key. */
  max: number;
  /** Window length, in ms. */
  windowMs: number;
  /** Shared counters in Redis (several API processes); absent: in process. */
  redis?: Redis | undefined;
  /** Prefix of the Redis keys. */
  redisPrefix?: string | undefined;
}

/**
 * Rate limits per API key (per client address when authentication is off),
 * on protected routes only; the public routes (health, readiness, docs) are
 * exempt so probes never get throttled. Must be installed after the auth hook, which
 * sets the key the limit is counted by. A Redis outage lets requests through
 * (availability over throttling) rather than failing them.
 */
export async function installRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: (request) =>
      request.principal?.keyId ? `key:${request.principal.keyId}` : `ip:${request.ip}`,
    allowList: (request) => request.routeOptions.config.auth === undefined,
    ...(options.redis === undefined
      ? {}
      : {
          redis: options.redis,
          nameSpace: `${options.redisPrefix ?? 'cyberstreams:'}rl:`,
          skipOnError: true,
        }),
  });
}
