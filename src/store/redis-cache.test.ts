import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redisTestClient } from '../../test/helpers/redis.js';
import { RedisCache } from './redis-cache.js';

test('redis cache stores under its prefix with a lifetime', async () => {
  const { redis, prefix, dispose } = await redisTestClient();
  try {
    const cache = new RedisCache(redis, prefix);
    assert.equal(await cache.get('k'), undefined);
    await cache.set('k', 'v', 30);
    assert.equal(await cache.get('k'), 'v');
    const ttl = await redis.ttl(`${prefix}k`);
    assert.ok(ttl > 0 && ttl <= 30);
  } finally {
    await dispose();
  }
});
