import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/main/server.js';
import { openSqliteStore } from '../../src/store/index.js';
import {
  client,
  createKeys,
  type JobReplyBody,
  type PredictReply,
  waitFor,
  writeLoopFixtures,
} from './helpers/loop.js';
import { baseDocs, novelTexts } from './helpers/synthetic.js';

/**
 * The whole loop on the embedded defaults (SQLite, in-process queue, training
 * in a child process): predictions, corrective feedback that triggers a
 * retraining, the candidate, the gate's decision, promotion, hot swap with
 * requests in flight, a prediction answered by the new version, rollback.
 */
test('embedded loop: feedback -> retraining -> gate -> promotion -> hot swap -> rollback', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-loop-'));
  try {
    const { shippedVersion, env } = await writeLoopFixtures(dir);
    const dataDir = join(dir, 'data');
    const seed = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
    const keys = await createKeys(seed);
    await seed.close();
    const server = await startServer(
      loadConfig({ ...env, DATA_DIR: dataDir, RETRAIN_EVERY_FEEDBACK: '30', CANARY_SHARE: '0.5' }),
    );
    const api = client(server.address);
    try {
      // The shipped model is registered as active on the fresh data dir and answers.
      const models = await api<{ servingFamily: string; models: { version: string; status: string }[] }>(
        'GET',
        '/api/v1/models',
        keys.predict,
      );
      assert.equal(models.status, 200);
      assert.deepEqual(
        models.body.models.map((m) => [m.version, m.status]),
        [[shippedVersion, 'active']],
      );
      const family = models.body.servingFamily;
      assert.equal((await api('GET', '/api/v1/models', keys.feedback)).status, 403);

      // Predictions: base texts are right; texts of the new kind of flaw are mostly not.
      const novel = novelTexts(40, 3);
      const answers: PredictReply[] = [];
      for (const text of novel) {
        const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
          text,
          source: 'noisy-feed',
        });
        assert.equal(r.status, 200);
        assert.equal(r.body.model.version, shippedVersion);
        answers.push(r.body);
      }
      const wrongBefore = answers.filter((a) => a.severity !== 'critical').length;
      assert.ok(wrongBefore >= 20, `the shipped model already knows the new flaw (${wrongBefore} wrong)`);
      for (const d of baseDocs(5, 99, 'x'))
        await api('POST', '/api/v1/predict', keys.predict, { text: d.text });

      // The review queue lists the least-sure predictions; answered ones leave it.
      const review = await api<{ items: { predictionId: string; margin: number }[] }>(
        'GET',
        '/api/v1/review?limit=100',
        keys.feedback,
      );
      assert.equal(review.status, 200);
      assert.equal(review.body.items.length, 45);
      assert.ok(review.body.items.every((it, i) => i === 0 || it.margin >= review.body.items[i - 1]!.margin));
      assert.equal((await api('GET', '/api/v1/review?limit=0', keys.feedback)).status, 400);

      // Corrective feedback: 40 items; the 30th triggers a retraining.
      for (const a of answers) {
        const r = await api('POST', '/api/v1/feedback', keys.feedback, {
          predictionId: a.id,
          correctLabel: 'critical',
          analyst: 'ana',
        });
        assert.equal(r.status, 201);
      }
      const after = await api<{ items: unknown[] }>('GET', '/api/v1/review?limit=100', keys.feedback);
      assert.equal(after.body.items.length, 5);

      // Keep requests in flight while the job runs and the new model is swapped in.
      let stop = false;
      const statuses: (number | string)[] = [];
      const traffic = (async () => {
        let i = 0;
        while (!stop) {
          try {
            const r = await api('POST', '/api/v1/predict', keys.predict, {
              text: `${novel[i % 40]} again ${i}`,
            });
            statuses.push(r.status);
          } catch (err) {
            // A transport failure is recorded (and fails the check below) instead of escaping as an unhandled rejection.
            statuses.push(`${(err as Error).message}: ${String((err as { cause?: unknown }).cause)}`);
          }
          i++;
          await sleep(10);
        }
      })();

      let job: JobReplyBody;
      let swapped: PredictReply;
      try {
        job = await waitFor('the retraining job', async () => {
          const r = await api<{ jobs: JobReplyBody[] }>('GET', '/api/v1/models/jobs', keys.predict);
          const j = r.body.jobs[0];
          return j !== undefined && (j.status === 'succeeded' || j.status === 'failed') ? j : undefined;
        });
        assert.equal(job.status, 'succeeded', JSON.stringify(job));
        assert.equal(job.trigger, 'feedback');
        assert.equal(job.result?.gate.passed, true, job.result?.gate.reasons.join('; '));
        assert.equal(job.result?.status, 'active');
        const promoted = job.result!.candidateVersion;

        // Hot swap: the replica serves the promoted version, without a failed request.
        swapped = await waitFor('the hot swap', async () => {
          const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
            text: novelTexts(1, 500)[0],
          });
          return r.body.model.version === promoted ? r.body : undefined;
        });
      } finally {
        // Stops the traffic however the wait ended, so a failure never leaves a request loop running.
        stop = true;
        await traffic;
      }
      const candidate = job.result!.candidateVersion;
      assert.ok(statuses.length > 0);
      assert.deepEqual([...new Set(statuses)], [200]);
      assert.equal(swapped.severity, 'critical');

      const detail = await api<{
        parent: string;
        history: { to: string; actor: string }[];
        evaluation: unknown;
      }>('GET', `/api/v1/models/${family}/${candidate}`, keys.predict);
      assert.equal(detail.body.parent, shippedVersion);
      assert.deepEqual(
        detail.body.history.map((h) => [h.to, h.actor]),
        [
          ['candidate', detail.body.history[0]!.actor],
          ['active', 'gate'],
        ],
      );

      // Source reputation learnt from the corrections (the job caught the learner up before training).
      const sources = await api<{ sources: { source: string; reputation: number; corrected: number }[] }>(
        'GET',
        '/api/v1/models/sources',
        keys.predict,
      );
      const noisy = sources.body.sources.find((x) => x.source === 'noisy-feed');
      assert.ok(
        noisy !== undefined && noisy.reputation < 0.5 && noisy.corrected >= 20,
        JSON.stringify(noisy),
      );

      // Metrics: drift in the JSON and in Prometheus; the model slot gauge.
      const metrics = await api<{ drift: { samples: number; classMixPsi: number | null } }>(
        'GET',
        '/api/v1/metrics',
        keys.predict,
      );
      assert.equal(metrics.status, 200);
      assert.ok(metrics.body.drift.samples > 0);
      const prom = await fetch(`${server.address}/metrics`, {
        headers: { authorization: `Bearer ${keys.admin}` },
      });
      const text = await prom.text();
      assert.match(text, /cyberstreams_drift_class_mix_psi /);
      assert.match(
        text,
        new RegExp(
          `cyberstreams_model_loaded\\{slot="active",model_family="${family}",model_version="${candidate}"\\} 1`,
        ),
      );
      assert.match(text, /cyberstreams_model_swaps_total\{slot="active"\} 1/);

      // Rollback (admin only) returns to the shipped version the same way.
      assert.equal((await api('POST', `/api/v1/models/${family}/rollback`, keys.predict, {})).status, 403);
      const rolled = await api<{ changed: { version: string } }>(
        'POST',
        `/api/v1/models/${family}/rollback`,
        keys.admin,
        { reason: 'e2e' },
      );
      assert.equal(rolled.status, 200);
      assert.equal(rolled.body.changed.version, shippedVersion);
      await waitFor('the rollback swap', async () => {
        const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
          text: 'acme router advisory',
        });
        return r.body.model.version === shippedVersion ? true : undefined;
      });

      // Canary: the retrained version answers its share (sticky per item id); its report carries a McNemar test.
      const canary = await api('POST', `/api/v1/models/${family}/${candidate}/promote`, keys.admin, {
        to: 'canary',
      });
      assert.equal(canary.status, 200);
      const fresh = novelTexts(60, 1234);
      let probe = 0;
      const served = await waitFor('the canary to be loaded', async () => {
        // New item ids each time: some of them fall in the canary's share once it is loaded.
        const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
          text: fresh[0],
          id: `probe-${probe++}`,
        });
        return r.body.model.version === candidate ? true : undefined;
      });
      assert.equal(served, true);
      const byVersion = new Map<string, number>();
      for (const [i, text] of fresh.entries()) {
        const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, { text, id: `item-${i}` });
        byVersion.set(r.body.model.version, (byVersion.get(r.body.model.version) ?? 0) + 1);
        // Sticky: the same item id gets the same version again.
        const again = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
          text: `${text} ?`,
          id: `item-${i}`,
        });
        assert.equal(again.body.model.version, r.body.model.version);
        await api('POST', '/api/v1/feedback', keys.feedback, {
          predictionId: r.body.id,
          correctLabel: 'critical',
        });
      }
      assert.ok((byVersion.get(candidate) ?? 0) >= 15, JSON.stringify([...byVersion]));
      assert.ok((byVersion.get(shippedVersion) ?? 0) >= 15, JSON.stringify([...byVersion]));
      const experiments = await waitFor('the canary report', async () => {
        const r = await api<{
          reports: { role: string; verdict: string; test: { pValue: number }; summary: string }[];
        }>('GET', '/api/v1/models/experiments', keys.predict);
        const report = r.body.reports[0];
        return report !== undefined && report.verdict !== 'insufficient-data' ? report : undefined;
      });
      assert.equal(experiments.role, 'canary');
      assert.equal(experiments.verdict, 'better', experiments.summary);
      assert.ok(experiments.test.pValue < 0.05);
      const again = await api('POST', `/api/v1/models/${family}/${shippedVersion}/promote`, keys.admin, {});
      assert.equal(again.status, 409, 'promoting the active version again is a conflict');
      const ended = await api<{ changed: { status: string } }>(
        'POST',
        `/api/v1/models/${family}/${candidate}/demote`,
        keys.admin,
        { reason: 'experiment over' },
      );
      assert.equal(ended.status, 200);
      assert.equal(ended.body.changed.status, 'candidate');
      assert.equal(
        (await api('POST', '/api/v1/models/retrain', keys.admin, { settings: { epochs: 'many' } })).status,
        400,
      );

      // Manual retraining over the API (admin): queued, answered 202.
      const manual = await api<{ created: boolean; job: { status: string } }>(
        'POST',
        '/api/v1/models/retrain',
        keys.admin,
        { reason: 'by hand' },
      );
      assert.equal(manual.status, 202);
      assert.equal((await api('POST', '/api/v1/models/retrain', keys.predict, {})).status, 403);
      assert.equal((await api('POST', '/api/v1/models/retrain', keys.admin, { bogus: 1 })).status, 400);
      await waitFor('the manual job', async () => {
        const r = await api<{ jobs: JobReplyBody[] }>('GET', '/api/v1/models/jobs', keys.predict);
        const j = r.body.jobs[0];
        return j !== undefined && j.status !== 'queued' && j.status !== 'running' ? j : undefined;
      });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
