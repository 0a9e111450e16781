import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/index.js';
import { isAppError } from '../core/index.js';
import { startServer } from './server.js';

const SHIPPED_MODELS = new URL('../../models', import.meta.url).pathname;

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

test('npm start serves real predictions from the shipped models, stores them, takes feedback', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-server-'));
  const manifest = JSON.parse(readFileSync(join(SHIPPED_MODELS, 'severity', 'manifest.json'), 'utf8')) as {
    family: string;
    version: string;
  };
  const server = await startServer(
    loadConfig({
      PORT: '0',
      DATA_DIR: dir,
      MODELS_DIR: SHIPPED_MODELS,
      LOG_LEVEL: 'silent',
      AUTH_DISABLED: 'true',
    }),
  );
  try {
    assert.equal((await fetch(`${server.address}/ready`)).status, 200);
    const text =
      'A buffer overflow in the web interface of Acme Router 2.1 (CVE-2024-99999) lets remote attackers execute arbitrary code. The attackers then used PowerShell to download a second stage from hxxp://evil-c2[.]example[.]net.';
    const res = await post(server.address, '/api/v1/predict', { text, source: 'mitre' });
    assert.equal(res.status, 200);
    const p = (await res.json()) as {
      id: string;
      model: { family: string; version: string };
      severity: string;
      probabilities: Record<string, number>;
      entities: { cves: string[]; urls: string[] };
      techniques: { id: string; score: number }[];
      anomalyScore: number | null;
      explanation: { level: string; words: { top: { text: string; start: number; end: number }[] } } | null;
      recommendations: { kind: string; reason: string }[];
    };
    assert.deepEqual(p.model, { family: manifest.family, version: manifest.version });
    // Anomaly score, default explanation (words with offsets) and recommendations with reasons.
    assert.ok(p.anomalyScore !== null && p.anomalyScore >= 0 && p.anomalyScore <= 1);
    assert.equal(p.explanation?.level, 'words');
    for (const w of p.explanation?.words.top ?? []) assert.equal(text.slice(w.start, w.end), w.text);
    assert.ok(p.recommendations.some((r) => r.kind === 'severity-action'));
    assert.ok(p.recommendations.every((r) => r.reason.length > 0));
    const shapley = await post(server.address, '/api/v1/predict', { text, explain: 'shapley' });
    assert.equal(((await shapley.json()) as { explanation: { level: string } }).explanation.level, 'shapley');
    const none = await post(server.address, '/api/v1/predict', { text, explain: 'none' });
    assert.equal(((await none.json()) as { explanation: unknown }).explanation, null);
    const bad = await post(server.address, '/api/v1/predict', { text, explain: 'everything' });
    assert.equal(bad.status, 400);
    // Batch items carry their own level; a bad level fails its item alone.
    const batch = await post(server.address, '/api/v1/predict/batch', {
      items: [{ text, explain: 'none' }, { text }, { text, explain: 'everything' }],
    });
    const entries = (
      (await batch.json()) as {
        results: { status: number; prediction?: { explanation: { level: string } | null } }[];
      }
    ).results;
    assert.deepEqual(
      entries.map((e) => [e.status, e.prediction?.explanation?.level ?? null]),
      [
        [200, null],
        [200, 'words'],
        [400, null],
      ],
    );
    const sum = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-6, String(sum));
    assert.equal(p.probabilities[p.severity], Math.max(...Object.values(p.probabilities)));
    assert.deepEqual(p.entities.cves, ['CVE-2024-99999']);
    assert.deepEqual(p.entities.urls, ['http://evil-c2.example.net']);
    // The shipped technique model maps the PowerShell download sentence (T1105 at the time of writing).
    assert.ok(p.techniques.length > 0, 'techniques found');
    for (const t of p.techniques) {
      assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
      assert.ok(t.score >= 0 && t.score <= 1);
    }
    const feedback = await post(server.address, '/api/v1/feedback', {
      predictionId: p.id,
      correctLabel: 'critical',
    });
    assert.equal(feedback.status, 201);
    assert.equal(((await feedback.json()) as { model: { version: string } }).model.version, manifest.version);
    const metrics = (await (await fetch(`${server.address}/api/v1/metrics`)).json()) as {
      models: {
        version: string;
        active: boolean;
        holdout: Record<string, number> | null;
        predictions: { total: number };
      }[];
    };
    const active = metrics.models.find((m) => m.version === manifest.version);
    assert.equal(active?.active, true);
    assert.ok(active?.holdout !== null && Object.keys(active?.holdout ?? {}).length > 0);
    assert.equal(active?.predictions.total, 5);
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
        loadConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: 'redis://:pw@127.0.0.1:1/7', LOG_LEVEL: 'silent' }),
      ),
      (err: unknown) =>
        isAppError(err, 'CS_ERR_REDIS_UNAVAILABLE') &&
        err.message.startsWith('Cannot connect to Redis at 127.0.0.1:1/7: connect ECONNREFUSED') &&
        !err.message.includes('pw'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
