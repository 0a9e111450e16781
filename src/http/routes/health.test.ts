import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { fakePredictor } from '../../../test/api/helpers/fake-predictor.js';
import { freePort } from '../../../test/helpers/ports.js';
import { TEST_REDIS_URL } from '../../../test/helpers/redis.js';
import { fixedClock } from '../../core/index.js';
import { openSqliteStore } from '../../store/index.js';
import { buildApp } from '../app.js';

type Checks = Record<string, { ok: boolean; detail?: string }>;

async function makeApp(redis: Redis) {
  const store = openSqliteStore({ path: ':memory:' });
  const app = await buildApp({
    store,
    logger: pino({ level: 'silent' }),
    clock: fixedClock(0),
    version: '9.9.9',
    predictor: fakePredictor(),
    redis,
  });
  return {
    app,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

test('GET /ready with Redis up lists a passing redis check', async () => {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const { app, close } = await makeApp(redis);
  try {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(res.statusCode, 200, res.body);
    const checks = res.json().checks as Checks;
    assert.deepEqual(Object.keys(checks).sort(), ['model', 'redis', 'store']);
    assert.equal(checks.redis?.ok, true);
  } finally {
    await close();
    redis.disconnect();
  }
});

test('GET /ready with Redis down is 503 naming redis; /health stays 200', async () => {
  const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  await redis.connect().catch(() => {});
  const { app, close } = await makeApp(redis);
  try {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().status, 'not-ready');
    const checks = res.json().checks as Checks;
    assert.equal(checks.redis?.ok, false);
    assert.ok((checks.redis?.detail ?? '').length > 0);
    assert.equal(checks.store?.ok, true);
    assert.equal(checks.model?.ok, true);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  } finally {
    await close();
    redis.disconnect();
  }
});

test('GET /ready gives up on a Redis that does not answer PING in time', async () => {
  // A connected client whose PING never comes back (a Redis stalled by a long command, say).
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  redis.ping = (() => new Promise<never>(() => {})) as unknown as Redis['ping'];
  const { app, close } = await makeApp(redis);
  try {
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json().checks.redis, { ok: false, detail: 'no answer to PING within 1000 ms' });
    assert.ok(Date.now() - started < 3_000);
  } finally {
    await close();
    redis.disconnect();
  }
});
