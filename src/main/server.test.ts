import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/index.js';
import { startServer } from './server.js';

test('the wired server starts without a model: health 200, ready 503, predict 401 then 503, stops cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-server-'));
  const server = await startServer(
    loadConfig({ PORT: '0', DATA_DIR: dir, MODELS_DIR: join(dir, 'no-models'), LOG_LEVEL: 'silent' }),
  );
  try {
    assert.equal((await fetch(`${server.address}/health`)).status, 200);
    const ready = await fetch(`${server.address}/ready`);
    assert.equal(ready.status, 503);
    const checks = ((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks;
    assert.equal(checks.store?.ok, true);
    assert.equal(checks.model?.ok, false);
    const post = (headers: Record<string, string>) =>
      fetch(`${server.address}/api/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ text: 'Heap overflow' }),
      });
    assert.equal((await post({})).status, 401);
  } finally {
    await server.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with AUTH_DISABLED=true no key is needed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-server-'));
  const server = await startServer(
    loadConfig({
      PORT: '0',
      DATA_DIR: dir,
      MODELS_DIR: join(dir, 'no-models'),
      LOG_LEVEL: 'silent',
      AUTH_DISABLED: 'true',
    }),
  );
  try {
    const res = await fetch(`${server.address}/api/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Heap overflow' }),
    });
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { code: string }).code, 'CS_ERR_MODEL_NOT_LOADED');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured Redis that cannot be reached is a startup error, and nothing is left open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-server-'));
  try {
    await assert.rejects(
      startServer(
        loadConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' }),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
