import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLruCache } from './memory-lru-cache.js';

test('evicts the least recently used entry and expires entries by the clock', async () => {
  let now = 0;
  const cache = new MemoryLruCache(2, { now: () => now });
  await cache.set('a', '1', 10);
  await cache.set('b', '2', 10);
  assert.equal(await cache.get('a'), '1'); // a is now the most recent
  await cache.set('c', '3', 10);
  assert.equal(await cache.get('b'), undefined);
  assert.equal(await cache.get('a'), '1');
  assert.equal(await cache.get('c'), '3');
  assert.equal(cache.size, 2);
  now = 10_000;
  assert.equal(await cache.get('a'), undefined);
  assert.throws(() => new MemoryLruCache(0, { now: () => 0 }), RangeError);
});
