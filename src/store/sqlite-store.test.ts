import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { storeConformance } from './conformance.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

storeConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
  const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

test('sqlite store runs in WAL mode with foreign keys on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
  const store = openSqliteStore({ path: join(dir, 'nested', 'store.sqlite') });
  try {
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migrating twice is a no-op and a failed migration is reported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
  const path = join(dir, 'store.sqlite');
  try {
    await openSqliteStore({ path }).close();
    const again = openSqliteStore({ path });
    assert.equal(await again.schemaVersion(), SQLITE_MIGRATIONS.length);
    await again.close();
    assert.throws(
      () =>
        openSqliteStore({
          path,
          migrations: [
            ...SQLITE_MIGRATIONS,
            { version: SQLITE_MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE' },
          ],
        }),
      { code: 'CS_ERR_STORE_MIGRATION' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('predictions are committed durably on the writer thread: visible at once, duplicates are conflicts, kept on reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
  const record = (id: string) => ({
    id,
    createdAt: 1,
    itemId: null,
    apiKeyId: null,
    modelFamily: 'f',
    modelVersion: 'v',
    severity: 'low',
    probabilities: [0, 0, 0, 1, 0],
    confidence: 1,
    anomalyScore: null,
    text: 't',
    textSha256: 'a'.repeat(64),
    source: null,
    published: null,
    latencyMs: 1,
    cached: false,
    details: { entities: { cves: ['CVE-2024-1'] } },
  });
  const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
  try {
    // synchronous=FULL (2) on the main connection; the writer thread opens its own with FULL too.
    assert.equal(store.db.pragma('synchronous', { simple: true }), 2);
    await Promise.all([store.predictions.insert([record('w1')]), store.predictions.insert([record('w2')])]);
    // Visible at once through the main connection (same file, WAL).
    assert.equal((await store.predictions.get('w1'))?.severity, 'low');
    assert.deepEqual((await store.predictions.get('w2'))?.details, { entities: { cves: ['CVE-2024-1'] } });
    // A duplicate id fails alone (CS_ERR_CONFLICT), its neighbour in the same group is stored.
    const [dup, fresh] = await Promise.allSettled([
      store.predictions.insert([record('w1')]),
      store.predictions.insert([record('w3')]),
    ]);
    assert.equal(dup.status, 'rejected');
    assert.equal((dup as PromiseRejectedResult).reason.code, 'CS_ERR_CONFLICT');
    assert.equal(fresh.status, 'fulfilled');
  } finally {
    await store.close();
  }
  await assert.rejects(store.predictions.insert([record('w4')]), { code: 'CS_ERR_STORE_UNAVAILABLE' });
  const reopened = openSqliteStore({ path: join(dir, 'store.sqlite') });
  try {
    assert.equal((await reopened.predictions.get('w1'))?.text, 't');
    assert.equal((await reopened.predictions.get('w3'))?.text, 't');
    assert.equal(await reopened.predictions.get('w4'), undefined);
  } finally {
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
