import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordingContext } from '../../test/helpers/cli.js';
import { loadConfig } from '../config/index.js';
import { openSqliteStore, verifyApiKey } from '../store/index.js';
import { EXIT, runCli } from './program.js';

/** A recording context whose store lives in a fresh temporary DATA_DIR. */
function contextIn(dir: string) {
  const ctx = recordingContext();
  ctx.loadConfig = (overrides = {}) => loadConfig({ DATA_DIR: dir, ...overrides });
  return ctx;
}

test('keys create prints the key as its last line; the store keeps only its hash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-keys-'));
  try {
    const ctx = contextIn(dir);
    assert.equal(
      await runCli(['keys', 'create', '--role', 'feedback', '--name', 'analyst one'], ctx, '0'),
      EXIT.ok,
    );
    const lines = ctx.out.trimEnd().split('\n');
    const key = lines.at(-1)!;
    assert.match(key, /^csk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const store = openSqliteStore({ path: join(dir, 'cyberstreams.sqlite') });
    try {
      const record = await verifyApiKey(store.apiKeys, key);
      assert.equal(record?.role, 'feedback');
      assert.equal(record?.name, 'analyst one');
      const raw = JSON.stringify(store.db.prepare('SELECT * FROM api_keys').all());
      assert.ok(!raw.includes(key.slice(17)), 'the secret is not stored');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys list and revoke; bad roles and ids are usage errors; unknown ids fail', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-keys-'));
  try {
    const created = contextIn(dir);
    await runCli(['keys', 'create', '--role', 'admin'], created, '0');
    const id = created.out.trimEnd().split('\n').at(-1)!.split('_')[1]!;

    const list = contextIn(dir);
    assert.equal(await runCli(['keys', 'list', '--json'], list, '0'), EXIT.ok);
    const listed = JSON.parse(list.out);
    assert.equal(listed.length, 1);
    assert.deepEqual([listed[0].id, listed[0].role, listed[0].revokedAt], [id, 'admin', null]);
    assert.ok(!list.out.includes('csk_'));

    const revoke = contextIn(dir);
    assert.equal(await runCli(['keys', 'revoke', id], revoke, '0'), EXIT.ok);
    assert.match(revoke.out, new RegExp(`Revoked API key ${id}`));
    const again = contextIn(dir);
    assert.equal(await runCli(['keys', 'revoke', id], again, '0'), EXIT.failure);
    assert.match(again.err, /No active API key/);

    const text = contextIn(dir);
    await runCli(['keys', 'list'], text, '0');
    assert.match(text.out, new RegExp(`${id}\\s+admin\\s+.*revoked`));

    assert.equal(await runCli(['keys', 'create', '--role', 'root'], contextIn(dir), '0'), EXIT.usage);
    assert.equal(await runCli(['keys', 'create'], contextIn(dir), '0'), EXIT.usage);
    assert.equal(await runCli(['keys', 'revoke', 'nope'], contextIn(dir), '0'), EXIT.usage);
    const badName = contextIn(dir);
    assert.equal(
      await runCli(['keys', 'create', '--role', 'admin', '--name', 'a\nb'], badName, '0'),
      EXIT.usage,
    );
    const after = contextIn(dir);
    await runCli(['keys', 'list', '--json'], after, '0');
    assert.equal(JSON.parse(after.out).length, 1, 'failed commands created nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
