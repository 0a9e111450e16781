import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listenProblem } from '../cli/index.js';
import { loadConfig } from '../config/index.js';
import { isAppError, systemClock } from '../core/index.js';
import { createApiKey, openSqliteStore } from '../store/index.js';
import { startService } from './cluster.js';

const SHIPPED_MODELS = new URL('../../models', import.meta.url).pathname;

test('API_WORKERS=2: two worker processes share the port, store every prediction, export both in one scrape, split the rate limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cluster-'));
  try {
    const seed = openSqliteStore({ path: join(dir, 'cyberstreams.sqlite') });
    const admin = (await createApiKey(seed.apiKeys, { role: 'admin', name: 't', clock: systemClock })).key;
    const limited = (await createApiKey(seed.apiKeys, { role: 'predict', name: 'l', clock: systemClock }))
      .key;
    await seed.close();
    const service = await startService(
      loadConfig({
        PORT: '0',
        DATA_DIR: dir,
        MODELS_DIR: SHIPPED_MODELS,
        LOG_LEVEL: 'silent',
        API_WORKERS: '2',
        RATE_LIMIT_MAX: '20',
        PREDICTION_CACHE_MAX_ENTRIES: '0',
      }),
    );
    try {
      const predict = (key: string, text: string) =>
        fetch(`${service.address}/api/v1/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ text }),
        });
      // Separate connections, so the primary deals them to both workers.
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          predict(admin, `Heap overflow ${i} in Foo (CVE-2024-${1000 + i}) allows RCE`),
        ),
      );
      assert.deepEqual(
        answers.map((r) => r.status),
        Array(8).fill(200),
      );
      const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as { id: string }).id));
      assert.equal(new Set(ids).size, 8);
      const scrape = await fetch(`${service.address}/metrics`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(scrape.status, 200);
      const text = await scrape.text();
      // Every worker's series, labelled; the predictions of both add up to what was sent.
      assert.match(text, /worker="1"/);
      assert.match(text, /worker="2"/);
      const predicted = [...text.matchAll(/^cyberstreams_predictions_total\{[^}]*\} (\d+)$/gm)].reduce(
        (a, m) => a + Number(m[1]),
        0,
      );
      assert.equal(predicted, 8);
      // Stored by whichever worker answered: all of them, in the one SQLite file.
      const json = await fetch(`${service.address}/api/v1/metrics`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      assert.equal(json.status, 200);
      // RATE_LIMIT_MAX=20 over 2 workers: 10 per worker in process, so 25 requests of one key
      // get at most 20 answers wherever they land (without the split, up to 40 could pass).
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await predict(limited, `Overflow ${i}`)).status);
      const ok = statuses.filter((s) => s === 200).length;
      assert.ok(ok >= 10 && ok <= 20, statuses.join(','));
      assert.equal(ok + statuses.filter((s) => s === 429).length, 25);
    } finally {
      await service.stop();
    }
    const reopened = openSqliteStore({ path: join(dir, 'cyberstreams.sqlite') });
    try {
      const counts = await reopened.predictions.classCounts();
      assert.ok(counts.reduce((a, c) => a + c.count, 0) >= 18);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("API_WORKERS=2 on a port in use: the start fails with the worker's EADDRINUSE, so serve can say it in one line", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cluster-busy-'));
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  try {
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      MODELS_DIR: SHIPPED_MODELS,
      LOG_LEVEL: 'silent',
      API_WORKERS: '2',
    });
    const err = await startService(config).then(
      () => assert.fail('the service started on a port in use'),
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    assert.equal(err.code, 'EADDRINUSE', String(err));
    assert.equal(listenProblem(err, config), `port ${port} on 127.0.0.1 is in use; set PORT or HOST`);
  } finally {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("API_WORKERS=2 with Redis down: the start fails with the worker's AppError, one line for serve", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cluster-redis-'));
  try {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dir,
      MODELS_DIR: SHIPPED_MODELS,
      LOG_LEVEL: 'silent',
      API_WORKERS: '2',
      REDIS_URL: 'redis://:pw@127.0.0.1:1/7',
    });
    await assert.rejects(startService(config), (err: unknown) => {
      assert.ok(isAppError(err, 'CS_ERR_REDIS_UNAVAILABLE'), String(err));
      assert.match(err.message, /^Cannot connect to Redis at 127\.0\.0\.1:1\/7: connect ECONNREFUSED/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
