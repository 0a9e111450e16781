import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError, withTimeout } from '../core/index.js';

/**
 * Where a Redis URL points, for messages and banners: `host:port/db`, with
 * no user name or password (`redis://:s3cret@cache:6380/7` -> `cache:6380/7`).
 * The database index is always shown (0 when the URL has no path).
 */
export function redisLocation(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '') || '0';
    return `${u.hostname}:${u.port || '6379'}/${db}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/** Options for {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Logs connection errors once the client is up (at start they become the thrown error). */
  logger: Logger;
  /**
   * The longest the whole start (TCP connect, handshake with AUTH and SELECT,
   * and a PING) may take, in milliseconds. Default 10,000.
   */
  timeoutMs?: number;
}

/** Delay between reconnection attempts once connected, in milliseconds: ioredis's default backoff. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 50, 2_000);

/**
 * Connects to the Redis at `url` the way the service starts on PostgreSQL:
 * one attempt, bounded by `timeoutMs`, and a Redis that answers the handshake
 * with an error (a DB index out of range, a wrong password) counts as down;
 * ioredis would otherwise go on with database 0 or retry for ever. Once
 * connected, the client reconnects with backoff, and later outages fail fast
 * instead of queueing (no offline queue, one retry per request).
 *
 * @throws AppError CS_ERR_REDIS_UNAVAILABLE `Cannot connect to Redis at host:port/db: <cause>`
 *   (never the URL's credentials), with the underlying error as `cause`.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let starting = true;
  let startError: Error | undefined;
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: (attempt) => (starting ? null : reconnectDelay(attempt)),
  });
  client.on('error', (err: Error) => {
    if (starting) startError ??= err;
    else options.logger.warn({ err }, 'redis error');
  });
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        // ioredis reports a failed SELECT or AUTH in the handshake as an 'error' event only.
        if (startError !== undefined) throw startError;
        await client.ping();
      })(),
      timeoutMs,
      () => new Error(`no answer within ${timeoutMs} ms`),
    );
  } catch (err) {
    client.disconnect();
    // "Connection is closed." says nothing; the event before it says why.
    const cause = startError ?? (err as Error);
    throw new AppError(
      'CS_ERR_REDIS_UNAVAILABLE',
      `Cannot connect to Redis at ${redisLocation(url)}: ${cause.message}`,
      { cause, details: { redis: redisLocation(url) } },
    );
  }
  starting = false;
  return client;
}
