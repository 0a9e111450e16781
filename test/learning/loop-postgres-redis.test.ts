import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/index.js';
import { postgresTestDatabase } from '../helpers/postgres.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import {
  type CliProcess,
  client,
  createKeys,
  type JobReplyBody,
  type PredictReply,
  startCliProcess,
  waitFor,
  writeLoopFixtures,
} from './helpers/loop.js';
import { novelTexts } from './helpers/synthetic.js';

/**
 * The loop on PostgreSQL and Redis with two API processes and one worker
 * process (`cyberstreams serve` twice and `cyberstreams worker`, each its own
 * Node process, so they share nothing but the store and Redis): feedback sent
 * to either replica is stored once, the feedback-count trigger queues one job
 * (the replicas agree through the store), the worker trains it (BullMQ), and
 * both replicas serve the promoted version afterwards, then the rolled-back one.
 */
test('PostgreSQL + Redis: two API processes and one worker process share one retraining and both swap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-loop-pg-'));
  // The servers use the `public` schema of DATABASE_URL: a database of their own.
  const db = await postgresTestDatabase();
  const prefix = `cs-e2e-${randomBytes(4).toString('hex')}:`;
  try {
    const { shippedVersion, env } = await writeLoopFixtures(dir);
    const seed = await openPostgresStore({ url: db.url, maxConnections: 2 });
    const keys = await createKeys(seed);
    await seed.close();
    const config = {
      ...env,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      RETRAIN_EVERY_FEEDBACK: '30',
    };
    const processes: CliProcess[] = [];
    let exitCodes: (number | null)[] = [];
    const start = async (args: string[], ready: RegExp) => {
      const p = await startCliProcess(args, config, ready);
      processes.push(p);
      return p;
    };
    try {
      // One at a time: the first API process creates the schema and registers the shipped model.
      const a = await start(['serve'], /cyberstreams listening on /);
      const b = await start(['serve'], /cyberstreams listening on /);
      await start(['worker'], /cyberstreams worker .* waiting for retraining jobs/);
      const addressOf = (p: CliProcess) => {
        const m = /listening on (\S+)/.exec(p.ready);
        assert.ok(m?.[1] !== undefined, p.ready);
        return m[1];
      };
      const apiA = client(addressOf(a));
      const apiB = client(addressOf(b));
      for (const api of [apiA, apiB]) {
        const m = await api<{ models: { version: string; status: string }[] }>(
          'GET',
          '/api/v1/models',
          keys.predict,
        );
        assert.deepEqual(
          m.body.models.map((v) => [v.version, v.status]),
          [[shippedVersion, 'active']],
        );
      }
      // Predictions and corrective feedback, alternating between the replicas.
      const texts = novelTexts(40, 3);
      for (const [i, text] of texts.entries()) {
        const api = i % 2 === 0 ? apiA : apiB;
        const p = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, { text });
        assert.equal(p.status, 200);
        assert.equal(p.body.model.version, shippedVersion);
        const other = i % 2 === 0 ? apiB : apiA;
        const f = await other('POST', '/api/v1/feedback', keys.feedback, {
          predictionId: p.body.id,
          correctLabel: 'critical',
        });
        assert.equal(f.status, 201);
      }
      const job = await waitFor(
        'the retraining job on the worker',
        async () => {
          const r = await apiB<{ jobs: JobReplyBody[] }>('GET', '/api/v1/models/jobs', keys.predict);
          const j = r.body.jobs[0];
          return j !== undefined && (j.status === 'succeeded' || j.status === 'failed') ? j : undefined;
        },
        90_000,
      );
      assert.equal(job.status, 'succeeded', JSON.stringify(job));
      assert.equal(job.trigger, 'feedback');
      assert.equal(job.result?.gate.passed, true, job.result?.gate.reasons.join('; '));
      const candidate = job.result!.candidateVersion;
      for (const [name, api] of [
        ['A', apiA],
        ['B', apiB],
      ] as const) {
        await waitFor(`replica ${name} to serve ${candidate}`, async () => {
          const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
            text: novelTexts(1, 900)[0],
          });
          return r.body.model.version === candidate ? true : undefined;
        });
      }

      // Stored once each, one job for both replicas' triggers.
      const check = new pg.Client({ connectionString: db.url });
      await check.connect();
      try {
        const fb = await check.query<{ n: string; d: string }>(
          'SELECT COUNT(*) AS n, COUNT(DISTINCT prediction_id) AS d FROM feedback',
        );
        assert.equal(Number(fb.rows[0]?.n), 40);
        assert.equal(Number(fb.rows[0]?.d), 40);
        const jobs = await check.query<{ n: string }>(
          "SELECT COUNT(*) AS n FROM learning_jobs WHERE trigger = 'feedback'",
        );
        assert.equal(Number(jobs.rows[0]?.n), 1);
        const active = await check.query<{ version: string }>(
          "SELECT version FROM model_versions WHERE status = 'active'",
        );
        assert.deepEqual(
          active.rows.map((r) => r.version),
          [candidate],
        );
      } finally {
        await check.end();
      }

      // Rollback through replica B: both replicas return to the shipped version.
      const family = (await apiA<{ servingFamily: string }>('GET', '/api/v1/models', keys.predict)).body
        .servingFamily;
      const rolled = await apiB('POST', `/api/v1/models/${family}/rollback`, keys.admin, { reason: 'e2e' });
      assert.equal(rolled.status, 200);
      for (const api of [apiA, apiB]) {
        await waitFor('the rollback on every replica', async () => {
          const r = await api<PredictReply>('POST', '/api/v1/predict', keys.predict, {
            text: 'widget cms advisory',
          });
          return r.body.model.version === shippedVersion ? true : undefined;
        });
      }
    } finally {
      exitCodes = await Promise.all(processes.reverse().map((p) => p.stop()));
    }
    // Every process drained and exited 0 on SIGTERM.
    assert.deepEqual(
      exitCodes,
      exitCodes.map(() => 0),
    );
  } finally {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const stale = await redis.keys(`${prefix}*`);
    if (stale.length > 0) await redis.del(...stale);
    redis.disconnect();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
