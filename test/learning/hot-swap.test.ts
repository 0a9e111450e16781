import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/core/index.js';
import { ModelRegistry } from '../../src/learning/index.js';
import { startServer } from '../../src/main/server.js';
import { readManifest } from '../../src/model/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { client, createKeys, type PredictReply, waitFor, writeLoopFixtures } from './helpers/loop.js';
import { baseDocs, writeTinyModel } from './helpers/synthetic.js';

/**
 * Hot swap through the replica that made the change: with polling as good as
 * off (MODEL_POLL_MS one hour) and no Redis, a promotion and a rollback made
 * through this replica's API are served within seconds, while requests keep
 * flowing and none of them fails.
 */
test('a promotion and a rollback through the API swap that replica at once, no request failing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-swap-'));
  try {
    const { shippedVersion, env } = await writeLoopFixtures(dir);
    const otherDir = join(dir, 'other-model');
    const otherVersion = await writeTinyModel(otherDir, baseDocs(300, 2));
    assert.notEqual(otherVersion, shippedVersion);
    const dataDir = join(dir, 'data');
    const seed = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
    const keys = await createKeys(seed);
    await new ModelRegistry({ models: seed.models, clock: systemClock, dataDir }).registerCandidate({
      manifest: await readManifest(otherDir),
      artefactDir: otherDir,
      metrics: {},
      evaluation: null,
      actor: 'test',
      reason: 'a second version to swap to',
    });
    await seed.close();
    const server = await startServer(
      loadConfig({ ...env, DATA_DIR: dataDir, MODEL_POLL_MS: '3600000', RETRAIN_EVERY_FEEDBACK: '0' }),
    );
    const api = client(server.address);
    let stop = false;
    const statuses: (number | string)[] = [];
    const served = new Set<string>();
    const traffic = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
            text: `acme router advisory ${lane}-${i}`,
          });
          statuses.push(r.status);
          if (r.status === 200) served.add(r.body.model.version);
        } catch (err) {
          statuses.push(`${(err as Error).message}: ${String((err as { cause?: unknown }).cause)}`);
        }
        await sleep(5);
      }
    };
    const lanes = [traffic(0), traffic(1)];
    try {
      const models = await api<{ servingFamily: string }>('GET', '/api/v1/models', keys.predict);
      const family = models.body.servingFamily;
      const servedBy = (version: string) =>
        waitFor(
          `${version} to answer`,
          async () => {
            const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
              text: 'widget cms advisory',
            });
            return r.body.model.version === version ? true : undefined;
          },
          10_000,
        );
      await servedBy(shippedVersion);

      const promoted = await api('POST', `/api/v1/models/${family}/${otherVersion}/promote`, keys.admin, {
        reason: 'hot-swap test',
      });
      assert.equal(promoted.status, 200);
      await servedBy(otherVersion);

      const rolled = await api('POST', `/api/v1/models/${family}/rollback`, keys.admin, {
        reason: 'hot-swap test',
      });
      assert.equal(rolled.status, 200);
      await servedBy(shippedVersion);
    } finally {
      stop = true;
      await Promise.all(lanes);
      await server.stop();
    }
    assert.ok(statuses.length > 0);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.deepEqual([...served].sort(), [otherVersion, shippedVersion].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
