import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelStatus, StoredModelVersion } from '../../store/index.js';
import { ModelRouter } from './model-router.js';
import { ModelWatcher } from './model-watcher.js';
import type { LoadedVariant, SlotName } from './variant.js';

interface In {
  text: string;
}
interface Out {
  model: { family: string; version: string };
  severity: string;
}

function record(version: string, status: ModelStatus): StoredModelVersion {
  return {
    family: 'fam',
    version,
    status,
    parentVersion: null,
    artefactDir: `/models/${version}`,
    trainingDataSha256: 'a'.repeat(64),
    metrics: { 'holdout.macroF1': 0.5 },
    manifest: {},
    evaluation: null,
    createdAt: 0,
    statusChangedAt: 0,
  };
}

test('the watcher mirrors the registry slots, keeps the model when a load fails, and retries next pass', async () => {
  const registry = new Map<SlotName, StoredModelVersion>([['active', record('v1', 'active')]]);
  const disposed: string[] = [];
  let failNext = false;
  const errors: string[] = [];
  const swaps: string[] = [];
  const router = new ModelRouter<In, Out>({ canaryShare: 0.5, now: () => 0 });
  const watcher = new ModelWatcher<In, Out>({
    registry: { holding: async (_f, s) => registry.get(s) },
    family: 'fam',
    router,
    pollMs: 1_000_000,
    load: async (r): Promise<LoadedVariant<In, Out>> => {
      if (failNext) {
        failNext = false;
        throw new Error(`cannot load ${r.version}`);
      }
      return {
        family: 'fam',
        version: r.version,
        holdout: r.metrics,
        predictor: {
          predict: (i) => ({ model: { family: 'fam', version: r.version }, severity: i.text }),
          dispose: () => disposed.push(r.version),
        },
      };
    },
    onSwap: (slot, v) => swaps.push(`${slot}:${v?.version ?? '-'}`),
    onError: (err) => errors.push((err as Error).message),
  });
  await watcher.sync();
  assert.deepEqual(router.current(), { family: 'fam', version: 'v1' });
  registry.set('active', record('v2', 'active'));
  registry.set('shadow', record('v3', 'shadow'));
  failNext = true;
  await watcher.sync();
  assert.deepEqual(errors, ['cannot load v2']);
  assert.equal(router.current()?.version, 'v1');
  assert.equal(router.version('shadow')?.version, 'v3');
  await watcher.sync();
  assert.equal(router.current()?.version, 'v2');
  assert.deepEqual(disposed, ['v1']);
  registry.delete('shadow');
  registry.delete('active');
  await watcher.sync();
  assert.equal(router.version('shadow'), undefined);
  assert.equal(router.current()?.version, 'v2', 'an empty active slot in the registry keeps the model');
  assert.deepEqual(swaps, ['active:v1', 'shadow:v3', 'active:v2', 'shadow:-']);
  assert.deepEqual(router.models()[0]?.holdout, { 'holdout.macroF1': 0.5 });
  await watcher.stop();
});
