import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { openPostgresStore, openSqliteStore } from '../../src/store/index.js';
import { postgresTestDatabase } from '../helpers/postgres.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import {
  type CliProcess,
  client,
  createKeys,
  type JobReplyBody,
  startCliProcess,
  waitFor,
  writeLoopFixtures,
} from './helpers/loop.js';

interface JobDetail extends JobReplyBody {
  attempts: number;
  message: string | null;
  error: string | null;
}

/** What the API says at start about the test fixtures (a severity model only). */
const FIXTURE_WARNINGS = new Set([
  'no ATT&CK technique model found: predictions carry no techniques',
  'no anomaly model found: predictions carry anomalyScore null',
]);

/** The log lines (pino JSON) of a process at warn level or above, but the fixtures' start-up warnings. */
function warnings(stdout: string): { level: number; msg: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level >= 40 && !FIXTURE_WARNINGS.has(l.msg));
}

/**
 * SIGTERM to `cyberstreams worker` (its own process, PostgreSQL and Redis)
 * while the training child is in its epochs: the worker exits 0 with a clean
 * log, the job is stored queued with the attempt not counted, and the next
 * worker trains it to the end.
 */
test('PostgreSQL + Redis: SIGTERM to the worker mid-training hands the job back; the next worker trains it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sigterm-'));
  const db = await postgresTestDatabase();
  const prefix = `cs-e2e-${randomBytes(4).toString('hex')}:`;
  const processes: CliProcess[] = [];
  try {
    const { env } = await writeLoopFixtures(dir);
    const seed = await openPostgresStore({ url: db.url, maxConnections: 2 });
    const keys = await createKeys(seed);
    await seed.close();
    const config = {
      ...env,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      RETRAIN_EVERY_FEEDBACK: '0',
      RETRAIN_ATTEMPTS: '3',
    };
    const start = async (args: string[], ready: RegExp, extra: Record<string, string> = {}) => {
      const p = await startCliProcess(args, { ...config, ...extra }, ready);
      processes.push(p);
      return p;
    };
    const serve = await start(['serve'], /cyberstreams listening on /);
    const api = client(/listening on (\S+)/.exec(serve.ready)![1]!);
    const worker = await start(['worker'], /cyberstreams worker .* waiting/, { LOG_LEVEL: 'info' });
    const queued = await api<{ job: JobDetail }>('POST', '/api/v1/models/retrain', keys.admin, {
      reason: 'sigterm test',
      settings: { epochs: '60' },
    });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    const id = queued.body.job.id;
    const job = async () => (await api<JobDetail>('GET', `/api/v1/models/jobs/${id}`, keys.predict)).body;
    await waitFor(
      'the training child to report an epoch',
      async () => {
        const j = await job();
        return j.status === 'running' && /epoch/.test(j.message ?? '') ? j : undefined;
      },
      60_000,
    );
    assert.equal(await worker.stop(), 0);
    const handedBack = await job();
    assert.equal(handedBack.status, 'queued', JSON.stringify(handedBack));
    assert.equal(handedBack.attempts, 0);
    assert.equal(handedBack.error, null);
    assert.match(handedBack.message ?? '', /stopped by a shutdown/);
    assert.deepEqual(warnings(worker.stdout()), []);

    const next = await start(['worker'], /cyberstreams worker .* waiting/, { LOG_LEVEL: 'info' });
    const done = await waitFor(
      'the job on the next worker',
      async () => {
        const j = await job();
        return j.status === 'succeeded' || j.status === 'failed' ? j : undefined;
      },
      120_000,
    );
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.equal(done.attempts, 1);
    assert.ok(done.result?.candidateVersion, 'trained a candidate');
    assert.equal(await next.stop(), 0);
    assert.deepEqual(warnings(next.stdout()), []);
  } finally {
    await Promise.all(processes.reverse().map((p) => p.stop()));
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const stale = await redis.keys(`${prefix}*`);
    if (stale.length > 0) await redis.del(...stale);
    redis.disconnect();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The same without Redis: SIGTERM to `cyberstreams serve` (what `npm start`
 * runs) while its in-process queue trains a job in a child process: exit 0,
 * a clean log, the job stored queued, and the next start trains it.
 */
test('SQLite, no Redis: SIGTERM to the API mid-training hands the job back; the next start trains it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sigterm-'));
  const processes: CliProcess[] = [];
  try {
    const { env } = await writeLoopFixtures(dir);
    const dataDir = join(dir, 'data');
    const path = join(dataDir, 'cyberstreams.sqlite');
    const seed = openSqliteStore({ path });
    const keys = await createKeys(seed);
    await seed.close();
    const config = { ...env, DATA_DIR: dataDir, RETRAIN_EVERY_FEEDBACK: '0', LOG_LEVEL: 'info' };
    const start = async () => {
      const p = await startCliProcess(['serve'], config, /cyberstreams listening on /);
      processes.push(p);
      return { p, api: client(/listening on (\S+)/.exec(p.ready)![1]!) };
    };
    const first = await start();
    const queued = await first.api<{ job: JobDetail }>('POST', '/api/v1/models/retrain', keys.admin, {
      reason: 'sigterm test',
      settings: { epochs: '60' },
    });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    const id = queued.body.job.id;
    await waitFor(
      'the training child to report an epoch',
      async () => {
        const j = (await first.api<JobDetail>('GET', `/api/v1/models/jobs/${id}`, keys.predict)).body;
        return j.status === 'running' && /epoch/.test(j.message ?? '') ? j : undefined;
      },
      60_000,
    );
    assert.equal(await first.p.stop(), 0);
    assert.deepEqual(warnings(first.p.stdout()), []);
    const store = openSqliteStore({ path });
    try {
      const handedBack = await store.jobs.get(id);
      assert.equal(handedBack?.status, 'queued', JSON.stringify(handedBack));
      assert.equal(handedBack?.attempts, 0);
      assert.match(handedBack?.message ?? '', /stopped by a shutdown/);
    } finally {
      await store.close();
    }

    const second = await start();
    const done = await waitFor(
      'the job after the restart',
      async () => {
        const j = (await second.api<JobDetail>('GET', `/api/v1/models/jobs/${id}`, keys.predict)).body;
        return j.status === 'succeeded' || j.status === 'failed' ? j : undefined;
      },
      120_000,
    );
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.equal(done.attempts, 1);
    assert.equal(await second.p.stop(), 0);
  } finally {
    await Promise.all(processes.reverse().map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
});
