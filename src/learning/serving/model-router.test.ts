import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentObservation } from '../../store/index.js';
import { ModelRouter, routingBucket } from './model-router.js';
import type { LoadedVariant } from './variant.js';

interface In {
  text: string;
  routingKey?: string;
}
interface Out {
  model: { family: string; version: string };
  severity: string;
}

function variant(
  version: string,
  severity: string,
  opts: { delay?: Promise<void> } = {},
): LoadedVariant<In, Out> & { disposed: number; calls: number } {
  const v = {
    family: 'fam',
    version,
    holdout: null,
    disposed: 0,
    calls: 0,
    predictor: {
      predict: async (_input: In): Promise<Out> => {
        v.calls++;
        if (opts.delay) await opts.delay;
        return { model: { family: 'fam', version }, severity };
      },
      dispose: () => {
        v.disposed++;
      },
    },
  };
  return v;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

test('without an active model requests fail with CS_ERR_MODEL_NOT_LOADED', async () => {
  const router = new ModelRouter<In, Out>({ canaryShare: 0.5, now: () => 0 });
  await assert.rejects(router.predict({ text: 'x' }), { code: 'CS_ERR_MODEL_NOT_LOADED' });
  assert.throws(() => router.setCanaryShare(1.5), { code: 'CS_ERR_VALIDATION' });
});

test('the canary answers its share, sticky per routing key; pairs are observed', async () => {
  const observations: ExperimentObservation[] = [];
  const router = new ModelRouter<In, Out>({
    canaryShare: 0.3,
    now: () => 5,
    onObservation: (o) => observations.push(o),
  });
  router.set('active', variant('v1', 'low'));
  router.set('canary', variant('v2', 'high'));
  let canary = 0;
  for (let i = 0; i < 2_000; i++) {
    const out = await router.predict({ text: `t${i}`, routingKey: `key-${i}` });
    if (out.model.version === 'v2') canary++;
  }
  assert.ok(Math.abs(canary / 2_000 - 0.3) < 0.04, `canary share ${canary / 2_000}`);
  // Sticky: the same key always lands on the same variant.
  const key = [...Array(100).keys()].map((i) => `k${i}`).find((k) => routingBucket(k, 'v2') < 0.3)!;
  for (let i = 0; i < 5; i++) {
    assert.equal((await router.predict({ text: `other ${i}`, routingKey: key })).model.version, 'v2');
  }
  await flush();
  assert.equal(observations.length, canary + 5);
  assert.ok(
    observations.every((o) => o.role === 'canary' && o.served === 'candidate' && o.activeSeverity === 'low'),
  );
  assert.equal(router.models().length, 2);
});

test('the shadow scores every request but never changes the response', async () => {
  const observations: ExperimentObservation[] = [];
  const router = new ModelRouter<In, Out>({
    canaryShare: 0.1,
    now: () => 0,
    onObservation: (o) => observations.push(o),
  });
  const shadow = variant('v3', 'critical');
  router.set('active', variant('v1', 'low'));
  router.set('shadow', shadow);
  for (let i = 0; i < 10; i++) assert.equal((await router.predict({ text: `t${i}` })).severity, 'low');
  await flush();
  assert.equal(shadow.calls, 10);
  assert.equal(observations.length, 10);
  assert.ok(
    observations.every(
      (o) => o.role === 'shadow' && o.served === 'active' && o.candidateSeverity === 'critical',
    ),
  );
});

test('a swap during a request in flight: the request finishes on the old model, which is disposed after', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const old = variant('v1', 'low', { delay: gate });
  const router = new ModelRouter<In, Out>({ canaryShare: 0, now: () => 0 });
  router.set('active', old);
  const inflight = router.predict({ text: 'slow' });
  router.set('active', variant('v2', 'high'));
  assert.equal(old.disposed, 0);
  assert.equal((await router.predict({ text: 'fast' })).model.version, 'v2');
  release();
  assert.equal((await inflight).model.version, 'v1');
  assert.equal(old.disposed, 1);
  assert.deepEqual(router.current(), { family: 'fam', version: 'v2' });
});
