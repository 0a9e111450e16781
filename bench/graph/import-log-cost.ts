/**
 * What the change log (ADR 0005 amendment 2: graph migration 5 on PostgreSQL, 4 on SQLite) costs a
 * bulk import: the full import of the shared data (as `bench/graph/run.ts` does it) into a fresh
 * graph migrated without the log (the migrations before it) and with it, alternating, `--rounds`
 * times each; the import again on the filled graph (idempotent); and the log rows it wrote.
 *
 *   nice -n 10 node --import tsx bench/graph/import-log-cost.ts [--data-dir ../shared/data] [--rounds 2]
 *     [--backends sqlite,postgres]
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type GraphStore,
  importFiles,
  openPostgresGraph,
  openSqliteGraph,
  publicDataGraphFiles,
} from '../../src/graph/index.js';
import { GRAPH_POSTGRES_MIGRATIONS, GRAPH_SQLITE_MIGRATIONS } from '../../src/graph/migrations.js';
import { machine } from '../shared-data.js';

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    rounds: { type: 'string', default: '2' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    'database-url': {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const dataDir = args['data-dir'] as string;
const files = publicDataGraphFiles(dataDir);

interface Row {
  backend: string;
  log: boolean;
  importMs: number;
  reimportMs: number;
  logRows: number;
  nodes: number;
  edges: number;
}

async function once(store: GraphStore, logRows: () => Promise<number>) {
  const t0 = performance.now();
  await importFiles(store, files);
  const importMs = performance.now() - t0;
  const t1 = performance.now();
  await importFiles(store, files);
  const reimportMs = performance.now() - t1;
  const stats = await store.stats();
  return { importMs, reimportMs, logRows: await logRows(), nodes: stats.nodes, edges: stats.edges };
}

const info = {
  ...machine(),
  commit: execSync('git rev-parse --short HEAD').toString().trim(),
  loadStart: loadavg()[0]?.toFixed(1),
};
const rows: Row[] = [];
const rounds = Number(args.rounds);
const backends = (args.backends as string).split(',');
const dir = mkdtempSync(join(tmpdir(), 'cs-bench-import-log-'));
try {
  for (let round = 0; round < rounds; round++) {
    for (const log of round % 2 === 0 ? [false, true] : [true, false]) {
      if (backends.includes('sqlite')) {
        const migrations = log ? GRAPH_SQLITE_MIGRATIONS : GRAPH_SQLITE_MIGRATIONS.slice(0, 3);
        const path = join(dir, `g-${round}-${log}.sqlite`);
        const store = openSqliteGraph({ path, migrations, adjacency: false });
        try {
          const count = async () =>
            log ? (store.db.prepare('SELECT COUNT(*) FROM graph_changes').pluck().get() as number) : 0;
          rows.push({ backend: 'sqlite', log, ...(await once(store, count)) });
        } finally {
          await store.close();
          rmSync(path, { force: true });
        }
      }
      if (backends.includes('postgres')) {
        const url = args['database-url'] as string;
        const schema = `bench_import_log_${process.pid}_${round}_${log ? 1 : 0}`;
        const migrations = log ? GRAPH_POSTGRES_MIGRATIONS : GRAPH_POSTGRES_MIGRATIONS.slice(0, 4);
        const store = await openPostgresGraph({ url, schema, migrations, adjacency: false });
        try {
          const count = async () =>
            log ? Number((await store.pool.query('SELECT COUNT(*) AS n FROM graph_changes')).rows[0]?.n) : 0;
          rows.push({ backend: 'postgres', log, ...(await once(store, count)) });
        } finally {
          await store.pool.query(`DROP SCHEMA ${schema} CASCADE`);
          await store.close();
        }
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ machine: { ...info, loadEnd: loadavg()[0]?.toFixed(1) } })}\n`);
process.stdout.write(
  '| backend | change log | import (ms) | import again (ms) | log rows | nodes | edges |\n|---|---|---|---|---|---|---|\n',
);
for (const r of rows)
  process.stdout.write(
    `| ${r.backend} | ${r.log ? 'with' : 'without'} | ${r.importMs.toFixed(0)} | ${r.reimportMs.toFixed(0)} | ${r.logRows} | ${r.nodes} | ${r.edges} |\n`,
  );
