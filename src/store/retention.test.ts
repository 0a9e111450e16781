import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../core/index.js';
import type { PredictionRepository } from './predictions.js';
import { type IntervalTimer, startRetentionPurge } from './retention.js';

function fakePredictions(calls: number[], fail = false): PredictionRepository {
  return {
    purgeOlderThan: async (cutoff: number) => {
      calls.push(cutoff);
      if (fail) throw new Error('disk gone');
      return 3;
    },
  } as unknown as PredictionRepository;
}

function manualTimer(): IntervalTimer & { fire(): void; cleared: boolean; ms: number | undefined } {
  let fn: (() => void) | undefined;
  const t = {
    cleared: false,
    ms: undefined as number | undefined,
    setInterval: (f: () => void, ms: number) => {
      fn = f;
      t.ms = ms;
      return 1;
    },
    clearInterval: () => {
      t.cleared = true;
    },
    fire: () => fn?.(),
  };
  return t;
}

test('purges at start and on every tick with the cutoff from the injected clock', async () => {
  const calls: number[] = [];
  let now = 100 * 86_400_000;
  const clock: Clock = { now: () => now };
  const timer = manualTimer();
  const purged: number[] = [];
  const purge = startRetentionPurge({
    predictions: fakePredictions(calls),
    clock,
    retentionDays: 30,
    intervalMs: 60_000,
    timer,
    onPurged: (n) => purged.push(n),
  });
  await purge.runOnce();
  assert.equal(timer.ms, 60_000);
  assert.deepEqual(calls, [70 * 86_400_000]);
  now += 86_400_000;
  timer.fire();
  await purge.runOnce();
  assert.deepEqual(calls.slice(0, 2), [70 * 86_400_000, 71 * 86_400_000]);
  assert.ok(purged.every((n) => n === 3));
  await purge.stop();
  assert.equal(timer.cleared, true);
});

test('retention 0 never purges; failures are reported and the schedule goes on', async () => {
  const calls: number[] = [];
  const off = startRetentionPurge({
    predictions: fakePredictions(calls),
    clock: { now: () => 0 },
    retentionDays: 0,
    intervalMs: 1000,
    timer: manualTimer(),
  });
  assert.equal(await off.runOnce(), 0);
  assert.deepEqual(calls, []);
  await off.stop();

  const errors: unknown[] = [];
  const timer = manualTimer();
  const failing = startRetentionPurge({
    predictions: fakePredictions(calls, true),
    clock: { now: () => 0 },
    retentionDays: 1,
    intervalMs: 1000,
    timer,
    onError: (e) => errors.push(e),
  });
  await new Promise((r) => setImmediate(r));
  timer.fire();
  await new Promise((r) => setImmediate(r));
  assert.equal(errors.length, 2);
  await failing.stop();
});

test('deleted ids reach onDeleted; its failure is reported and the purge still counts', async () => {
  const repo = {
    purgeOlderThan: async (
      _cutoff: number,
      _chunk: number | undefined,
      onDeleted?: (ids: string[]) => Promise<void>,
    ) => {
      await onDeleted?.(['a', 'b']);
      await onDeleted?.(['c']);
      return 3;
    },
  } as unknown as PredictionRepository;
  const seen: string[][] = [];
  const errors: unknown[] = [];
  const purge = startRetentionPurge({
    predictions: repo,
    clock: { now: () => 0 },
    retentionDays: 1,
    intervalMs: 1000,
    timer: manualTimer(),
    onDeleted: async (ids) => {
      seen.push(ids);
      if (ids.includes('c')) throw new Error('graph down');
    },
    onError: (e) => errors.push(e),
  });
  assert.equal(await purge.runOnce(), 3);
  assert.deepEqual(seen.slice(0, 2), [['a', 'b'], ['c']]);
  assert.ok(errors.length >= 1);
  await purge.stop();
});
