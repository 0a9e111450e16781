import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseDocs, writeTinyModel } from '../../../test/learning/helpers/synthetic.js';
import { fixedClock } from '../../core/index.js';
import { openSqliteStore } from '../../store/index.js';
import { ModelRegistry } from './model-registry.js';

test('registry: shipped model active on a fresh dir, idempotent; rollback and promote with history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-registry-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  const changes: string[] = [];
  const registry = new ModelRegistry({
    models: store.models,
    clock: fixedClock(5_000),
    dataDir: join(dir, 'data'),
    onChange: (f) => {
      changes.push(f);
    },
  });
  try {
    const shipped = join(dir, 'shipped');
    const version = await writeTinyModel(shipped, baseDocs(50, 1));
    const first = await registry.registerShipped(shipped, async () => ({ macroF1: 0.9 }));
    assert.equal(first.created, true);
    assert.equal(first.record.status, 'active');
    assert.equal(first.record.metrics['holdout.macroF1'], 0.9);
    assert.equal((await registry.registerShipped(shipped)).created, false);
    await assert.rejects(registry.rollback(first.record.family, 'test', 'x'), { code: 'CS_ERR_CONFLICT' });

    const manifest = first.record.manifest as Parameters<ModelRegistry['registerCandidate']>[0]['manifest'];
    const candidate = await registry.registerCandidate({
      manifest: { ...manifest, version: 'r2', parentVersion: version },
      artefactDir: join(dir, 'r2'),
      metrics: { 'holdout.macroF1': 0.95 },
      evaluation: { gate: { passed: true } },
      actor: 'retrain-job:1',
      reason: 'test',
    });
    assert.equal(candidate.status, 'candidate');
    assert.equal(
      registry.versionDir(candidate.family, 'r2'),
      join(dir, 'data', 'models', candidate.family, 'r2'),
    );
    await registry.promote(candidate, 'shadow', 'cli', 'try it');
    assert.equal((await registry.holding(candidate.family, 'shadow'))?.version, 'r2');
    await assert.rejects(registry.demote((await registry.active(candidate.family))!, 'retired', 'cli', 'x'), {
      code: 'CS_ERR_CONFLICT',
    });
    await registry.promote(await registry.find('r2'), 'active', 'cli', 'go');
    assert.equal((await registry.active(candidate.family))?.version, 'r2');
    const back = await registry.rollback(candidate.family, 'cli', 'regression');
    assert.equal(back.changed.version, version);
    assert.equal(back.demoted?.version, 'r2');
    const history = await registry.history(candidate.family, version);
    assert.equal(history.at(-1)?.reason, 'rollback from r2: regression');
    await assert.rejects(registry.find('nope'), { code: 'CS_ERR_NOT_FOUND' });
    assert.equal(changes.length, 4);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registry: the prepare hook runs before promote and rollback; when it throws nothing changes, else its commit runs before onChange', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-registry-'));
  const store = openSqliteStore({ path: join(dir, 's.sqlite') });
  const events: string[] = [];
  let refuse: string | undefined;
  const registry = new ModelRegistry({
    models: store.models,
    clock: fixedClock(5_000),
    dataDir: join(dir, 'data'),
    onChange: () => {
      events.push('onChange');
    },
    prepare: async (v, to) => {
      events.push(`prepare ${v.version} ${to}`);
      if (v.version === refuse) throw new Error(`cannot load ${v.version}`);
      return () => events.push(`commit ${v.version} ${to}`);
    },
  });
  try {
    const shipped = join(dir, 'shipped');
    const version = await writeTinyModel(shipped, baseDocs(50, 1));
    const { record } = await registry.registerShipped(shipped);
    const manifest = record.manifest as Parameters<ModelRegistry['registerCandidate']>[0]['manifest'];
    const r2 = await registry.registerCandidate({
      manifest: { ...manifest, version: 'r2', parentVersion: version },
      artefactDir: join(dir, 'r2'),
      metrics: {},
      evaluation: null,
      actor: 'test',
      reason: 'test',
    });
    events.length = 0;
    refuse = 'r2';
    await assert.rejects(registry.promote(r2, 'active', 'api', 'go'), /cannot load r2/);
    assert.deepEqual(events, ['prepare r2 active']);
    assert.equal((await registry.active(record.family))?.version, version);
    assert.equal((await registry.find('r2')).status, 'candidate');
    assert.equal((await registry.history(record.family, 'r2')).length, 1);

    refuse = undefined;
    events.length = 0;
    await registry.promote(r2, 'active', 'api', 'go');
    assert.deepEqual(events, ['prepare r2 active', 'commit r2 active', 'onChange']);

    refuse = version;
    events.length = 0;
    await assert.rejects(registry.rollback(record.family, 'api', 'back'), /cannot load/);
    assert.deepEqual(events, [`prepare ${version} active`]);
    assert.equal((await registry.active(record.family))?.version, 'r2');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
