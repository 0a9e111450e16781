import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.js';
import { redisTestClient } from '../helpers/redis.js';
import { isProblem, testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

const PREDICT = {
  method: 'POST' as const,
  url: '/api/v1/predict',
  payload: { text: 'Heap overflow in foo' },
};

for (const backend of BACKENDS) {
  describe(`rate limits per key, in process (${backend.name})`, () => {
    test('the request past the limit is 429 problem+json with retry-after; other keys and probes are unaffected', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { rateLimitMax: 3, rateLimitWindowMs: 60_000 } });
      try {
        for (let i = 0; i < 3; i++) {
          const ok = await t.app.inject({ ...PREDICT, headers: t.keys.predict });
          assert.equal(ok.statusCode, 200);
          assert.equal(ok.headers['x-ratelimit-remaining'], String(2 - i));
        }
        const limited = await t.app.inject({ ...PREDICT, headers: t.keys.predict });
        assert.equal(limited.statusCode, 429);
        assert.ok(isProblem(limited));
        assert.equal(limited.json().code, 'CS_ERR_RATE_LIMITED');
        assert.ok(Number(limited.headers['retry-after']) > 0);
        // The budget is per key and shared across routes.
        assert.equal(
          (await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: t.keys.predict })).statusCode,
          429,
        );
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.admin })).statusCode, 200);
        for (let i = 0; i < 5; i++) {
          assert.equal((await t.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
        }
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}

describe('rate limits and cache in Redis (shared by API processes)', () => {
  test('two apps on one Redis share a key budget; other prefixes are isolated', async () => {
    const { redis, prefix, dispose } = await redisTestClient();
    const store = openSqliteStore({ path: ':memory:' });
    const settings = { rateLimitMax: 4, rateLimitWindowMs: 60_000 };
    const a = await testApp(store, { redis, redisPrefix: prefix, settings });
    const b = await testApp(store, { redis, redisPrefix: prefix, settings });
    const other = await testApp(store, { redis, redisPrefix: `${prefix}other:`, settings });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await a.app.inject({ ...PREDICT, headers: a.keys.predict })).statusCode);
        statuses.push((await b.app.inject({ ...PREDICT, headers: a.keys.predict })).statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
      assert.ok((await redis.keys(`${prefix}rl:*`)).length > 0);
      assert.equal((await other.app.inject({ ...PREDICT, headers: a.keys.predict })).statusCode, 200);
    } finally {
      await a.close();
      await b.close();
      await other.close();
      await store.close();
      await dispose();
    }
  });

  test('a prediction cached by one app is a hit in another', async () => {
    const { redis, prefix, dispose } = await redisTestClient();
    const { RedisCache } = await import('../../src/store/index.js');
    const store = openSqliteStore({ path: ':memory:' });
    const cache = new RedisCache(redis, prefix);
    const a = await testApp(store, { cache });
    const b = await testApp(store, { cache });
    try {
      const first = await a.app.inject({ ...PREDICT, headers: a.keys.predict });
      assert.equal(first.json().cached, false);
      // The write to the cache is not awaited by the request; wait for it to land.
      for (let i = 0; i < 50 && (await redis.keys(`${prefix}pred:*`)).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const second = await b.app.inject({ ...PREDICT, headers: b.keys.predict });
      assert.equal(second.json().cached, true);
      assert.equal(b.predictor.calls, 0);
      assert.deepEqual(second.json().probabilities, first.json().probabilities);
    } finally {
      await a.close();
      await b.close();
      await store.close();
      await dispose();
    }
  });

  test('a Redis outage lets requests through and the cache counts errors', async () => {
    const { Redis } = await import('ioredis');
    const { RedisCache } = await import('../../src/store/index.js');
    // Nothing listens on port 1: every command fails fast.
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const store = openSqliteStore({ path: ':memory:' });
    const t = await testApp(store, {
      redis: dead,
      cache: new RedisCache(dead, 'x:'),
      settings: { rateLimitMax: 1 },
    });
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 200);
      const prom = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin })).body;
      assert.match(prom, /cyberstreams_prediction_cache_lookups_total\{result="error"\} 3/);
    } finally {
      await t.close();
      await store.close();
      dead.disconnect();
    }
  });
});
