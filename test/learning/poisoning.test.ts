import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { fixedClock } from '../../src/core/index.js';
import { startServer } from '../../src/main/server.js';
import { createRng } from '../../src/model/index.js';
import { createApiKey, openSqliteStore } from '../../src/store/index.js';
import {
  client,
  createKeys,
  type JobReplyBody,
  type PredictReply,
  waitFor,
  writeLoopFixtures,
} from './helpers/loop.js';
import { baseDocs, CLASSES } from './helpers/synthetic.js';

/**
 * Poisoning: four feedback keys send corrections whose labels are flipped at
 * random (never the true class) on ordinary texts. The candidate trained on
 * them is refused by the gate (its holdout macro-F1 falls), stays a candidate
 * with the gate's reasons, and the active model keeps answering.
 */
test('feedback with labels flipped at random is refused by the gate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-poison-'));
  try {
    const { shippedVersion, env } = await writeLoopFixtures(dir);
    const dataDir = join(dir, 'data');
    const seed = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
    const keys = await createKeys(seed);
    const poisoners: string[] = [];
    for (let i = 0; i < 4; i++) {
      poisoners.push(
        (await createApiKey(seed.apiKeys, { role: 'feedback', clock: fixedClock(Date.now()) })).key,
      );
    }
    await seed.close();
    // Automatic triggers off: the retraining is asked for by hand below.
    const server = await startServer(loadConfig({ ...env, DATA_DIR: dataDir, RETRAIN_EVERY_FEEDBACK: '0' }));
    const api = client(server.address);
    try {
      const rng = createRng(11);
      const docs = baseDocs(200, 5, 'p');
      for (const [i, d] of docs.entries()) {
        const p = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, { text: d.text });
        assert.equal(p.body.severity, d.label, 'the shipped model answers ordinary texts right');
        const wrong = CLASSES.filter((c) => c !== d.label);
        const r = await api('POST', '/api/v1/feedback', poisoners[i % 4]!, {
          predictionId: p.body.id,
          correctLabel: wrong[rng.int(wrong.length)],
          analyst: `analyst-${i % 4}`,
        });
        assert.equal(r.status, 201);
      }
      const queued = await api<{ job: { id: string } }>('POST', '/api/v1/models/retrain', keys.admin, {
        reason: 'poisoning test',
      });
      assert.equal(queued.status, 202);
      const job = await waitFor('the retraining job', async () => {
        const r = await api<JobReplyBody>('GET', `/api/v1/models/jobs/${queued.body.job.id}`, keys.predict);
        return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : undefined;
      });
      assert.equal(job.status, 'succeeded', JSON.stringify(job));
      assert.equal(job.result?.gate.passed, false);
      assert.equal(job.result?.status, 'candidate');
      const reasons = job.result!.gate.reasons;
      assert.ok(
        reasons.some((r) => r.startsWith('holdout macro-F1')),
        reasons.join('; '),
      );

      const models = await api<{ servingFamily: string; models: { version: string; status: string }[] }>(
        'GET',
        '/api/v1/models',
        keys.predict,
      );
      assert.deepEqual(
        models.body.models.map((m) => [m.version, m.status]),
        [
          [shippedVersion, 'active'],
          [job.result!.candidateVersion, 'candidate'],
        ],
      );
      const detail = await api<{ evaluation: { gate: { reasons: string[] } } }>(
        'GET',
        `/api/v1/models/${models.body.servingFamily}/${job.result!.candidateVersion}`,
        keys.predict,
      );
      assert.deepEqual(detail.body.evaluation.gate.reasons, reasons);
      const still = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, { text: docs[0]!.text });
      assert.equal(still.body.model.version, shippedVersion);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
