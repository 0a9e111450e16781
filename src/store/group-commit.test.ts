import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.js';

test('requests of one turn share a write; groups respect the size bound', async () => {
  const writes: number[][] = [];
  const gc = new GroupCommit<number>((items) => {
    writes.push(items);
  }, 4);
  await Promise.all([gc.add([1]), gc.add([2, 3]), gc.add([4]), gc.add([5])]);
  assert.deepEqual(writes, [[1, 2, 3, 4], [5]]);
  await gc.idle();
});

test('a failing entry is retried alone so its neighbours still commit', async () => {
  const committed: number[] = [];
  const gc = new GroupCommit<number>(async (items) => {
    if (items.includes(13)) throw new Error('bad row');
    committed.push(...items);
  });
  const results = await Promise.allSettled([gc.add([1]), gc.add([13]), gc.add([2])]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(committed.sort(), [1, 2]);
});

test('entries added while an async write runs go into the next group', async () => {
  const writes: number[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const gc = new GroupCommit<number>(async (items) => {
    writes.push(items);
    if (writes.length === 1) await gate;
  });
  const first = gc.add([1]);
  await new Promise((r) => setImmediate(r));
  const second = gc.add([2]);
  const third = gc.add([3]);
  release();
  await Promise.all([first, second, third]);
  assert.deepEqual(writes, [[1], [2, 3]]);
  await gc.idle();
});
