import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/core/index.js';
import { ModelRegistry } from '../../src/learning/index.js';
import { startServer } from '../../src/main/server.js';
import { readManifest } from '../../src/model/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { isProblem } from '../api/helpers/app.js';
import { postgresTestDatabase } from '../helpers/postgres.js';
import { createKeys, type PredictReply, writeLoopFixtures } from './helpers/loop.js';
import { baseDocs, writeTinyModel } from './helpers/synthetic.js';

/** Where a backend keeps its data: SQLite in DATA_DIR, or a fresh PostgreSQL database. */
const BACKENDS: {
  name: string;
  make(
    dataDir: string,
  ): Promise<{ env: Record<string, string>; open(): Promise<Store>; drop(): Promise<void> }>;
}[] = [
  {
    name: 'sqlite',
    make: async (dataDir) => ({
      env: {},
      open: async () => openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') }),
      drop: async () => {},
    }),
  },
  {
    name: 'postgres',
    make: async () => {
      const db = await postgresTestDatabase();
      return {
        env: { DATABASE_URL: db.url },
        open: () => openPostgresStore({ url: db.url, maxConnections: 2 }),
        drop: db.drop,
      };
    },
  },
];

type Statuses = Record<string, string>;

async function statuses(app: FastifyInstance, key: string): Promise<Statuses> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization: key } });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { models: { version: string; status: string }[] };
  return Object.fromEntries(body.models.map((m) => [m.version, m.status]));
}

async function servedVersion(app: FastifyInstance, key: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/predict',
    headers: { authorization: key },
    payload: { text: 'widget cms advisory' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as PredictReply).model.version;
}

/** Breaks a model directory: every file but the manifest is overwritten with bytes no loader accepts. */
function corrupt(dir: string): void {
  for (const f of readdirSync(dir)) if (f !== 'manifest.json') writeFileSync(join(dir, f), 'not a model');
}

for (const backend of BACKENDS) {
  test(`${backend.name}: promote and rollback load the version on the replica first; one it cannot load is refused (409) and nothing changes`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-promote-'));
    const dataDir = join(dir, 'data');
    const data = await backend.make(dataDir);
    try {
      const { shippedVersion, env } = await writeLoopFixtures(dir);
      // Four more versions: one whose directory is gone, one corrupt, two good ones.
      const dirs = ['missing', 'corrupt', 'good', 'later'].map((n) => join(dir, 'versions', n));
      const versions: string[] = [];
      for (const [i, d] of dirs.entries()) versions.push(await writeTinyModel(d, baseDocs(300, 2 + i)));
      assert.equal(new Set([shippedVersion, ...versions]).size, 5);
      const [missing, broken, good, later] = versions as [string, string, string, string];
      const [missingDir, corruptDir, goodDir] = dirs as [string, string, string, string];

      const seed = await data.open();
      const keys = await createKeys(seed);
      const registry = new ModelRegistry({ models: seed.models, clock: systemClock, dataDir });
      for (const d of dirs) {
        await registry.registerCandidate({
          manifest: await readManifest(d),
          artefactDir: d,
          metrics: {},
          evaluation: null,
          actor: 'test',
          reason: 'a version to promote',
        });
      }
      await seed.close();
      rmSync(missingDir, { recursive: true });
      corrupt(corruptDir);

      const server = await startServer(
        loadConfig({
          ...env,
          ...data.env,
          DATA_DIR: dataDir,
          // Polling as good as off and no Redis: only the request itself can swap this replica.
          MODEL_POLL_MS: '3600000',
          RETRAIN_EVERY_FEEDBACK: '0',
        }),
      );
      const { app } = server;
      const admin = `Bearer ${keys.admin}`;
      const predict = `Bearer ${keys.predict}`;
      try {
        const family = (
          (
            await app.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization: predict } })
          ).json() as {
            servingFamily: string;
          }
        ).servingFamily;
        const before = await statuses(app, predict);
        assert.equal(before[shippedVersion], 'active');

        for (const version of [missing, broken]) {
          for (const to of ['active', 'canary', 'shadow']) {
            const res = await app.inject({
              method: 'POST',
              url: `/api/v1/models/${family}/${version}/promote`,
              headers: { authorization: admin },
              payload: { to },
            });
            assert.equal(res.statusCode, 409, `${version} to ${to}: ${res.body}`);
            assert.ok(isProblem(res), res.body);
            const problem = res.json() as { code: string; detail: string };
            assert.equal(problem.code, 'CS_ERR_MODEL_UNLOADABLE');
            assert.match(problem.detail, /cannot be loaded on this replica .*nothing was changed/);
            assert.deepEqual(await statuses(app, predict), before, `${version} to ${to} changed a status`);
            assert.equal(await servedVersion(app, predict), shippedVersion);
          }
        }

        // A loadable version is served by this replica as soon as the request returns.
        const ok = await app.inject({
          method: 'POST',
          url: `/api/v1/models/${family}/${good}/promote`,
          headers: { authorization: admin },
          payload: { to: 'active' },
        });
        assert.equal(ok.statusCode, 200, ok.body);
        assert.equal(await servedVersion(app, predict), good);
        const next = await app.inject({
          method: 'POST',
          url: `/api/v1/models/${family}/${later}/promote`,
          headers: { authorization: admin },
        });
        assert.equal(next.statusCode, 200, next.body);
        assert.equal(await servedVersion(app, predict), later);

        // Rolling back to a version whose files are gone is refused the same way.
        rmSync(goodDir, { recursive: true });
        const afterPromotions = await statuses(app, predict);
        const rolled = await app.inject({
          method: 'POST',
          url: `/api/v1/models/${family}/rollback`,
          headers: { authorization: admin },
        });
        assert.equal(rolled.statusCode, 409, rolled.body);
        assert.equal((rolled.json() as { code: string }).code, 'CS_ERR_MODEL_UNLOADABLE');
        assert.deepEqual(await statuses(app, predict), afterPromotions);
        assert.equal(await servedVersion(app, predict), later);
      } finally {
        await server.stop();
      }
    } finally {
      await data.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
