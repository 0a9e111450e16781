import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock, mulberry32 } from '../../core/index.js';
import { FAMILY_SLOTS, FEATURE_DIMENSION } from '../../features/index.js';
import { DriftMonitor } from './drift-monitor.js';
import { ksTwoSample } from './ks.js';
import { binOf, populationStabilityIndex, quantileCuts } from './psi.js';
import { buildDriftReference, parseDriftReference } from './reference.js';

function vectors(n: number, seed: number, shiftTone = 0): Float32Array[] {
  const r = mulberry32(seed);
  const [toneStart, toneEnd] = FAMILY_SLOTS.tone;
  return Array.from({ length: n }, () => {
    const v = new Float32Array(FEATURE_DIMENSION);
    for (let i = 0; i < FEATURE_DIMENSION; i++) v[i] = r();
    v[50 + 1] = r() < 0.3 ? 1 : 0; // a flag slot (source.known)
    for (let i = toneStart; i < toneEnd; i++) v[i] = Math.min(1, v[i]! * 0.5 + shiftTone);
    return v;
  });
}

const CLASSES = ['critical', 'high', 'medium', 'low', 'informational'];

test('PSI is 0 for equal mixes, grows with the shift, and bins handle flags', () => {
  assert.ok(populationStabilityIndex([0.2, 0.3, 0.5], [20, 30, 50]) < 1e-9);
  const mild = populationStabilityIndex([0.25, 0.25, 0.25, 0.25], [0.3, 0.25, 0.25, 0.2]);
  const major = populationStabilityIndex([0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]);
  assert.ok(mild > 0 && mild < 0.1 && major > 0.25);
  assert.deepEqual(quantileCuts([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 10), [0, 1]);
  assert.equal(binOf([0, 1], 0), 0);
  assert.equal(binOf([0, 1], 1), 1);
  assert.equal(binOf([0, 1], 2), 2);
  assert.throws(() => populationStabilityIndex([1], [0.5, 0.5]), RangeError);
});

test('KS separates shifted samples and not equal ones', () => {
  const r = mulberry32(1);
  const a = Array.from({ length: 500 }, () => r()).sort((x, y) => x - y);
  const b = Array.from({ length: 500 }, () => r()).sort((x, y) => x - y);
  const c = Array.from({ length: 500 }, () => r() + 0.3).sort((x, y) => x - y);
  assert.ok(ksTwoSample(a, b).pValue > 0.01);
  const shifted = ksTwoSample(a, c);
  assert.ok(shifted.statistic > 0.25 && shifted.pValue < 1e-6);
  assert.deepEqual(ksTwoSample([], [1]), { statistic: 0, pValue: 1 });
});

test('monitor: same distribution stays quiet, a shifted family and class mix raise the alarm', () => {
  const train = vectors(2_000, 7);
  const classes = train.map((_, i) => i % 5);
  const reference = parseDriftReference(
    JSON.parse(
      JSON.stringify(
        buildDriftReference(train, classes, { classes: CLASSES, description: 'test', featuresFile: null }),
      ),
    ),
  );
  assert.equal(reference.slots.length, FEATURE_DIMENSION);
  const monitor = new DriftMonitor({
    window: 1_000,
    minSamples: 500,
    psiAlarm: 0.25,
    clock: fixedClock(0),
    reportTtlMs: 0,
  });
  monitor.reset({ family: 'f', version: 'v1' }, reference);
  const early = monitor.report();
  assert.equal(early.ready, false);
  assert.equal(early.alarm, false);

  vectors(1_000, 8).forEach((v, i) => {
    monitor.observe(v, i % 5);
  });
  const calm = monitor.report();
  assert.equal(calm.ready, true);
  assert.equal(calm.alarm, false, calm.reasons.join('; '));
  assert.ok(calm.classMixPsi !== null && calm.classMixPsi < 0.01);
  assert.ok(calm.families.every((f) => f.psi < 0.1));
  assert.equal(calm.families.length, 8);

  vectors(1_000, 9, 0.4).forEach((v) => {
    monitor.observe(v, 0);
  });
  const shifted = monitor.report();
  assert.equal(shifted.alarm, true);
  const tone = shifted.families.find((f) => f.family === 'tone')!;
  const embedding = shifted.families.find((f) => f.family === 'embedding')!;
  assert.ok(tone.psi > 0.25, `tone PSI ${tone.psi}`);
  assert.ok(embedding.psi < 0.1, `embedding PSI ${embedding.psi}`);
  assert.ok(shifted.classMixPsi! > 0.25);
  assert.ok(shifted.ks[0]!.index >= FAMILY_SLOTS.tone[0] && shifted.ks[0]!.index < FAMILY_SLOTS.tone[1]);
  assert.ok(shifted.reasons.some((r) => r.startsWith('tone PSI')));
});

test('monitor without a reference reports why and never alarms', () => {
  const monitor = new DriftMonitor({ window: 10, minSamples: 1, psiAlarm: 0.25, clock: fixedClock(0) });
  monitor.reset(null, undefined);
  monitor.observe(null, 1);
  const r = monitor.report();
  assert.equal(r.alarm, false);
  assert.equal(r.classMixPsi, null);
  assert.equal(r.samples, 1);
  assert.deepEqual(r.reasons, ['no drift reference for the active model']);
});

test('a class-mix-only reference (no vectors) still measures the class mix', () => {
  const reference = buildDriftReference([], [0, 1, 2, 3, 4], {
    classes: CLASSES,
    description: 't',
    featuresFile: null,
  });
  const monitor = new DriftMonitor({ window: 100, minSamples: 50, psiAlarm: 0.25, clock: fixedClock(0) });
  monitor.reset({ family: 'f', version: 'v' }, reference);
  for (let i = 0; i < 100; i++) monitor.observe(null, 4);
  const r = monitor.report();
  assert.equal(r.alarm, true);
  assert.equal(r.families.length, 0);
  assert.equal(r.classMix.informational, 1);
});
