import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { AppError, withTimeout } from '../core/index.js';

/**
 * Answers 503 CS_ERR_TIMEOUT when a route's async handler has not settled
 * within `timeoutMs`. The handler goes on (work cannot be interrupted) and its
 * late result is dropped. Does what Fastify's global `handlerTimeout` does for
 * the handler, at a fraction of the cost: that option gives every request an
 * AbortController, a socket `close` listener and, on every normal close, an
 * `AbortError` DOMException with its stack (about 7 % of a cached predict
 * request's CPU, bench/api). Routes that set their own `handlerTimeout` keep
 * Fastify's. Install before the routes are registered.
 */
export function installHandlerTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRoute', (route) => {
    if (route.handlerTimeout !== undefined) return;
    const handler = route.handler as (...args: Parameters<RouteHandlerMethod>) => unknown;
    route.handler = function timed(this: FastifyInstance, request, reply) {
      const result = handler.call(this, request, reply);
      if (!(result instanceof Promise)) return result;
      return withTimeout(
        result,
        timeoutMs,
        () => new AppError('CS_ERR_TIMEOUT', 'The request took longer than the time limit'),
      );
    };
  });
}
