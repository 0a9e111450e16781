import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTimeout } from './timeout.js';

test('withTimeout passes a prompt result or rejection through, and rejects a slow one with onTimeout()', async () => {
  assert.equal(await withTimeout(Promise.resolve(7), 1_000, () => new Error('late')), 7);
  await assert.rejects(
    withTimeout(Promise.reject(new Error('own')), 1_000, () => new Error('late')),
    /own/,
  );
  const slow = new Promise((resolve) => setTimeout(resolve, 200, 'done'));
  await assert.rejects(
    withTimeout(slow, 10, () => new Error('late')),
    /late/,
  );
});
