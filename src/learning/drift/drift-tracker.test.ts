import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DriftTracker } from './drift-tracker.js';

function tracker(maxPerSecond: number | undefined, clock: { ms: number }) {
  const t = new DriftTracker<string>({
    window: 10_000,
    minSamples: 1,
    psiAlarm: 0.25,
    clock: { now: () => clock.ms },
    maxQueue: 100_000,
    ...(maxPerSecond === undefined ? {} : { maxPerSecond }),
  });
  t.reset({ family: 'f', version: 'v' }, undefined, undefined);
  return t;
}

function feed(t: DriftTracker<string>, clock: { ms: number }, count: number, overMs: number): void {
  for (let i = 0; i < count; i++) {
    t.observe(`text ${i}`, { severity: 'high' });
    clock.ms += overMs / count;
  }
  t.drainNow();
}

test('without maxPerSecond every answer is measured', () => {
  const clock = { ms: 0 };
  const t = tracker(undefined, clock);
  feed(t, clock, 500, 1_000);
  assert.equal(t.report().samples, 500);
  assert.equal(t.sampledOut, 0);
});

test('maxPerSecond measures every answer below the rate and a systematic sample above it', () => {
  const clock = { ms: 0 };
  const t = tracker(50, clock);
  // 40 per second: under the limit, all measured.
  feed(t, clock, 40, 1_000);
  assert.equal(t.report().samples, 40);
  // 1,000 per second: the first second ramps the stride up (about 50 x (1 + ln 20) measured) ...
  feed(t, clock, 1_000, 1_000);
  const ramp = t.report().samples - 40;
  assert.ok(ramp > 50 && ramp < 250, `ramp ${ramp}`);
  // ... then every 20th: 50 per second.
  feed(t, clock, 1_000, 1_000);
  const steady = t.report().samples - 40 - ramp;
  assert.ok(steady >= 45 && steady <= 55, `steady ${steady}`);
  assert.equal(t.sampledOut, 2_000 - ramp - steady);
  // Back to a trickle after a pause: every answer counts again.
  clock.ms += 5_000;
  const before = t.report().samples;
  feed(t, clock, 10, 1_000);
  assert.equal(t.report().samples, before + 10);
});
