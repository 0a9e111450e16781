import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/main/server.js';
import { openSqliteStore } from '../../src/store/index.js';
import { client, createKeys, type JobReplyBody, waitFor, writeLoopFixtures } from './helpers/loop.js';
import { baseDocs } from './helpers/synthetic.js';

interface DriftBody {
  drift: {
    ready: boolean;
    alarm: boolean;
    classMixPsi: number;
    families: { family: string; psi: number }[];
    ks: { slot: string; statistic: number }[];
  };
}

/**
 * Drift: traffic like the reference stays quiet; traffic of one class only
 * shifts the predicted-class mix and the feature families, the alarm goes
 * off, it is exported to Prometheus, and it queues a retraining.
 */
test('a drift alarm is reported and triggers a retraining', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-drift-'));
  try {
    const { env } = await writeLoopFixtures(dir);
    const dataDir = join(dir, 'data');
    const seed = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
    const keys = await createKeys(seed);
    await seed.close();
    const server = await startServer(
      loadConfig({
        ...env,
        DATA_DIR: dataDir,
        RETRAIN_EVERY_FEEDBACK: '0',
        RETRAIN_ON_DRIFT: 'true',
        DRIFT_WINDOW: '150',
        DRIFT_MIN_SAMPLES: '150',
        DRIFT_PSI_ALARM: '0.5',
        // Every prediction measured: the window must fill from these few requests.
        DRIFT_MAX_PER_SECOND: '0',
      }),
    );
    const api = client(server.address);
    try {
      // Like the reference (balanced classes of alike texts from the same sources): no alarm.
      for (const d of baseDocs(150, 31, 'calm')) {
        await api('POST', '/api/v1/predict', keys.predict, { text: d.text, source: d.source });
      }
      // The report is recomputed at most once a second.
      const calm = await waitFor('a full drift window', async () => {
        const r = await api<DriftBody>('GET', '/api/v1/metrics', keys.predict);
        return r.body.drift.ready ? r : undefined;
      });
      assert.equal(calm.body.drift.alarm, false, JSON.stringify(calm.body.drift));
      assert.ok(calm.body.drift.classMixPsi < 0.5);
      assert.equal(calm.body.drift.families.length, 8);

      // Only informational texts: the class mix and the text families move.
      const shifted = baseDocs(800, 32, 'shift').filter((d) => d.label === 'informational');
      for (const d of shifted)
        await api('POST', '/api/v1/predict', keys.predict, { text: d.text, source: d.source });
      const drifted = await waitFor('the drift alarm', async () => {
        const r = await api<DriftBody>('GET', '/api/v1/metrics', keys.predict);
        return r.body.drift.alarm ? r : undefined;
      });
      assert.ok(drifted.body.drift.classMixPsi > 0.5);
      assert.ok(drifted.body.drift.ks.length > 0);
      const prom = await (
        await fetch(`${server.address}/metrics`, { headers: { authorization: `Bearer ${keys.admin}` } })
      ).text();
      assert.match(prom, /cyberstreams_drift_alarm 1/);
      assert.match(prom, /cyberstreams_drift_psi\{family="embedding"\} /);

      const job = await waitFor('a drift-triggered retraining', async () => {
        const r = await api<{ jobs: JobReplyBody[] }>('GET', '/api/v1/models/jobs', keys.predict);
        return r.body.jobs.find((j) => j.trigger === 'drift');
      });
      assert.equal(job.trigger, 'drift');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
