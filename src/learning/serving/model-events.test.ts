import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisTestClient } from '../../../test/helpers/redis.js';
import { RedisModelEvents } from './model-events.js';

test('Redis pub/sub: a published family reaches every subscriber of the same prefix only', async () => {
  const r = await redisTestClient();
  const events = new RedisModelEvents(r.redis, r.prefix);
  const other = new RedisModelEvents(r.redis, `${r.prefix}other:`);
  const got: string[] = [];
  const gotOther: string[] = [];
  const un1 = await events.subscribe((f) => got.push(`1:${f}`));
  const un2 = await events.subscribe((f) => got.push(`2:${f}`));
  const un3 = await other.subscribe((f) => gotOther.push(f));
  try {
    await events.publish('hashed-ngram');
    const until = Date.now() + 5_000;
    while (got.length < 2 && Date.now() < until) await sleep(10);
    assert.deepEqual(got.sort(), ['1:hashed-ngram', '2:hashed-ngram']);
    assert.deepEqual(gotOther, []);
  } finally {
    await un1();
    await un2();
    await un3();
    await r.dispose();
  }
});
