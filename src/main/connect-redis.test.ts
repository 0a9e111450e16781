import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import { freePort } from '../../test/helpers/ports.js';
import { TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { isAppError } from '../core/index.js';
import { connectRedis, redisLocation } from './connect-redis.js';

const logger = pino({ level: 'silent' });

/** The URL with another database index. */
function withDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

test('redisLocation is host:port/db without credentials', () => {
  assert.equal(redisLocation('redis://:s3cret@cache:6380/7'), 'cache:6380/7');
  assert.equal(redisLocation('rediss://user:pw@10.0.0.1'), '10.0.0.1:6379/0');
  assert.equal(redisLocation('redis://127.0.0.1:6379/'), '127.0.0.1:6379/0');
});

test('a Redis nobody listens for fails at once with the cause in one line, no password', async () => {
  const port = await freePort();
  const started = Date.now();
  await assert.rejects(connectRedis(`redis://:s3cret@127.0.0.1:${port}/7`, { logger }), (err: unknown) => {
    assert.ok(isAppError(err, 'CS_ERR_REDIS_UNAVAILABLE'), String(err));
    assert.match(
      err.message,
      new RegExp(`^Cannot connect to Redis at 127\\.0\\.0\\.1:${port}/7: connect ECONNREFUSED`),
    );
    assert.doesNotMatch(err.message, /s3cret|\n/);
    assert.ok(err.cause instanceof Error);
    return true;
  });
  // One attempt, no retry loop.
  assert.ok(Date.now() - started < 2_000);
});

test('a Redis that accepts but never answers fails after the timeout instead of hanging', async () => {
  const sockets = new Set<Socket>();
  const silent: Server = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    const started = Date.now();
    await assert.rejects(
      connectRedis(`redis://127.0.0.1:${port}`, { logger, timeoutMs: 300 }),
      (err: unknown) =>
        isAppError(err, 'CS_ERR_REDIS_UNAVAILABLE') &&
        err.message.startsWith(`Cannot connect to Redis at 127.0.0.1:${port}/0: `),
    );
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 2_000, `took ${took} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('a Redis that answers the handshake with an error (DB index out of range) is not connected to', async () => {
  await assert.rejects(connectRedis(withDb(TEST_REDIS_URL, 99_999), { logger }), (err: unknown) => {
    assert.ok(isAppError(err, 'CS_ERR_REDIS_UNAVAILABLE'), String(err));
    assert.match(err.message, /\/99999: ERR DB index is out of range/);
    return true;
  });
});

test('a reachable Redis is connected and answers', async () => {
  const redis = await connectRedis(TEST_REDIS_URL, { logger });
  try {
    assert.equal(await redis.ping(), 'PONG');
  } finally {
    redis.disconnect();
  }
});
