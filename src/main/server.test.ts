import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/index.js';
import { startServer } from './server.js';

const post = (address: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${address}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

test('the wired server without a model: probes, 503 predictions, graph enrichment, auth on by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-server-'));
  const env = { PORT: '0', DATA_DIR: dir, MODELS_DIR: join(dir, 'no-models'), LOG_LEVEL: 'silent' };
  try {
    const open = await startServer(loadConfig({ ...env, AUTH_DISABLED: 'true' }));
    try {
      assert.equal((await fetch(`${open.address}/health`)).status, 200);
      const ready = await fetch(`${open.address}/ready`);
      assert.equal(ready.status, 503);
      const checks = ((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks;
      assert.equal(checks.store?.ok, true);
      assert.equal(checks.model?.ok, false);
      const predict = await post(open.address, '/api/v1/predict', { text: 'Heap overflow' });
      assert.equal(predict.status, 503);
      assert.equal(((await predict.json()) as { code: string }).code, 'CS_ERR_MODEL_NOT_LOADED');
      // The shipped graph catalogue was loaded on this first start: enrichment knows ATT&CK.
      const enriched = await post(open.address, '/api/v1/enrich', {
        text: 'APT28 exploited CVE-2023-23397 from 8.8.8.8',
        techniques: [{ id: 'T1059.001', score: 0.9 }],
      });
      assert.equal(enriched.status, 200);
      const body = (await enriched.json()) as {
        techniques: { id: string; name?: string }[];
        actors: { name: string }[];
        vulnerabilities: { cve: string }[];
      };
      assert.equal(body.techniques[0]?.id, 'T1059.001');
      assert.equal(typeof body.techniques[0]?.name, 'string');
      assert.ok(
        body.actors.some((a) => /APT28/i.test(a.name)),
        JSON.stringify(body.actors.slice(0, 3)),
      );
      assert.deepEqual(
        body.vulnerabilities.map((v) => v.cve),
        ['CVE-2023-23397'],
      );
    } finally {
      await open.stop();
      await open.stop();
    }
    // Same data dir, default settings: authentication is on.
    const closed = await startServer(loadConfig(env));
    try {
      assert.equal((await post(closed.address, '/api/v1/predict', { text: 'x' })).status, 401);
      assert.equal((await post(closed.address, '/api/v1/enrich', { text: 'x' })).status, 401);
    } finally {
      await closed.stop();
    }
  } finally {
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
