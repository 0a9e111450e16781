/**
 * Knowledge-graph benchmark: 2-hop query latency on the fully imported graph,
 * on SQLite and PostgreSQL, against two baselines measured in the same run:
 * the 1-hop query from the same start nodes, and the same 2-hop query on a copy
 * of the graph whose edge table has no index. Also times the imports, the
 * catalogue load, pattern mining and enrichment. See bench/graph/README.md.
 *
 *   npm run bench:graph -- [--data-dir ../shared/data] [--queries 300] [--seed 7] [--backends sqlite,postgres]
 *     [--runs all|writes|foreign] [--write-ms 200] [--group 4] [--gap-ms 5] [--block 25]
 *
 * `--runs writes` skips everything but the import and the runs under writes (`under-writes.ts`);
 * `--runs foreign` everything but the import and the run under another process's writes
 * (`foreign-writes.ts`, catch-up on and off interleaved).
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { mulberry32 } from '../../src/core/index.js';
import { referenceNeighbours } from '../../src/graph/conformance-reach.js';
import {
  type AdjacencyCache,
  type AdjacencyCacheOptions,
  enrich,
  ensureCatalogueLoaded,
  type GraphStore,
  importFiles,
  minePatterns,
  type NeighbourOptions,
  type NeighbourResult,
  openPostgresGraph,
  openSqliteGraph,
  type PostgresGraph,
  publicDataGraphFiles,
  type SqliteGraph,
} from '../../src/graph/index.js';
import { machine } from '../shared-data.js';
import { type ForeignWrites, timeForeignWrites } from './foreign-writes.js';
import { measure, pct, summarise, type Timing, timed } from './timing.js';
import { timeUnderWrites, type UnderWrites, type UnderWritesConfig } from './under-writes.js';

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    queries: { type: 'string', default: '300' },
    seed: { type: 'string', default: '7' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    runs: { type: 'string', default: 'all' },
    'write-ms': { type: 'string', default: '200' },
    group: { type: 'string', default: '4' },
    'gap-ms': { type: 'string', default: '5' },
    block: { type: 'string', default: '25' },
    'database-url': {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const QUERIES = Number(args.queries);
const SEED = Number(args.seed);
const UNDER_WRITES: UnderWritesConfig = {
  writeMs: Number(args['write-ms']),
  group: Number(args.group),
  gapMs: Number(args['gap-ms']),
  seed: SEED + 2,
};

async function time(graph: GraphStore, starts: string[], options: NeighbourOptions): Promise<Timing> {
  for (const s of starts.slice(0, 20)) await graph.neighbours(s, options); // warm-up: caches, statements
  await cacheOf(graph)?.settled();
  return measure(starts.length, async (i) => (await graph.neighbours(starts[i] as string, options)).reached);
}

const answer = (r: NeighbourResult) =>
  JSON.stringify([
    r.reached,
    r.truncated,
    r.neighbours.map((n) => [n.node.id, n.depth, n.via.src, n.via.type, n.via.dst, n.via.source]),
  ]);

/**
 * Three ways of answering the same query on the same starts, interleaved start by start (the order
 * rotating), so all see the same machine load: the store's `neighbours` (served by its adjacency
 * cache, warm), the same store's database traversal (a second store on the same data with the cache
 * off: the code before the cache), and the per-edge reference traversal (every edge of a level read
 * into JavaScript). Counts answers of the other two that differ from the reference.
 */
async function timeAgainstPerEdge(
  graph: GraphStore,
  database: GraphStore,
  starts: string[],
  options: NeighbourOptions,
): Promise<{ store: Timing; database: Timing; perEdge: Timing; differing: number }> {
  for (const s of starts.slice(0, 20)) {
    await graph.neighbours(s, options);
    await database.neighbours(s, options);
    await referenceNeighbours(graph, s, options);
  }
  await cacheOf(graph)?.settled();
  const runs = [
    (s: string) => graph.neighbours(s, options),
    (s: string) => database.neighbours(s, options),
    (s: string) => referenceNeighbours(graph, s, options),
  ];
  const acc = runs.map(() => ({ ms: [] as number[], cpu: [] as number[], nodes: 0 }));
  let differing = 0;
  for (const [i, s] of starts.entries()) {
    const answers: string[] = [];
    for (let k = 0; k < runs.length; k++) {
      const which = (i + k) % runs.length;
      const t = await timed(() => (runs[which] as (s: string) => Promise<NeighbourResult>)(s));
      const a = acc[which] as (typeof acc)[number];
      a.ms.push(t.ms);
      a.cpu.push(t.cpu);
      a.nodes += t.value.reached;
      answers[which] = answer(t.value);
    }
    if (answers[0] !== answers[2] || answers[1] !== answers[2]) differing++;
  }
  const [store, db, perEdge] = acc.map((a) => summarise(a.ms, a.cpu, a.nodes)) as [Timing, Timing, Timing];
  return { store, database: db, perEdge, differing };
}

/**
 * The cache cold: before each query a real graph write (a bench node's props change) by another
 * connection (`writer`: as another process would; the store's own additive writes no longer
 * invalidate), so the query finds its snapshot stale. With `catchUp` on (the default since ADR 0005
 * amendment 2) the node row change is caught up from the change log and the snapshot answers; with
 * it off the database answers and a reload starts in the background. Then the wait for any reload
 * (wall), and the same query again, warm.
 */
async function timeCold(
  graph: GraphStore,
  writer: GraphStore,
  starts: string[],
  options: NeighbourOptions,
): Promise<{ cold: Timing; warmAfter: Timing; loadMs: number[]; reloadWaitMs: number[] }> {
  const cold = { ms: [] as number[], cpu: [] as number[], nodes: 0 };
  const warm = { ms: [] as number[], cpu: [] as number[], nodes: 0 };
  const loadMs: number[] = [];
  const reloadWaitMs: number[] = [];
  for (const [i, s] of starts.entries()) {
    await writer.apply({
      nodes: [{ id: 'tool:bench-invalidate', type: 'Tool', name: 'bench', props: { i }, source: 'bench' }],
      edges: [],
    });
    for (const into of [cold, warm]) {
      const t = await timed(() => graph.neighbours(s, options));
      into.ms.push(t.ms);
      into.cpu.push(t.cpu);
      into.nodes += t.value.reached;
      if (into !== cold) continue;
      const w = await timed(async () => cacheOf(graph)?.settled());
      reloadWaitMs.push(w.ms);
      loadMs.push(cacheOf(graph)?.stats().lastLoadMs ?? Number.NaN);
    }
  }
  return {
    cold: summarise(cold.ms, cold.cpu, cold.nodes),
    warmAfter: summarise(warm.ms, warm.cpu, warm.nodes),
    loadMs: loadMs.sort((a, b) => a - b),
    reloadWaitMs: reloadWaitMs.sort((a, b) => a - b),
  };
}

/** The adjacency cache of a concrete store, when it has one. */
function cacheOf(graph: GraphStore): AdjacencyCache | undefined {
  return (graph as SqliteGraph | PostgresGraph).adjacency;
}

async function fill(graph: GraphStore): Promise<Record<string, number>> {
  const dir = args['data-dir'] as string;
  const t0 = Date.now();
  try {
    const files = publicDataGraphFiles(dir);
    await importFiles(graph, files);
    const importMs = Date.now() - t0;
    const t1 = Date.now();
    await importFiles(graph, files);
    return { importMs, reimportMs: Date.now() - t1 };
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    process.stderr.write(`no shared data at ${dir}: using the shipped catalogue\n`);
    const r = await ensureCatalogueLoaded(graph);
    return { catalogueLoadMs: r.ms };
  }
}

async function starts(graph: GraphStore, n: number, seed: number, type?: string): Promise<string[]> {
  const ids = new Set<string>();
  for (
    let page = await graph.scanEdges(undefined, 20000);
    page.length > 0;
    page = await graph.scanEdges(page.at(-1), 20000)
  ) {
    for (const e of page) {
      if (!type || e.srcType === type) ids.add(e.src);
      if (!type || e.dstType === type) ids.add(e.dst);
    }
  }
  const all = [...ids].sort();
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => all[Math.floor(r() * all.length)] as string);
}

/** A copy of the graph whose edge table has no primary key and no index. */
async function unindexedSqlite(g: SqliteGraph, dir: string): Promise<SqliteGraph> {
  const path = join(dir, 'noindex.sqlite');
  g.db.exec(`VACUUM INTO '${path}'`);
  const copy = openSqliteGraph({ path, adjacency: false });
  copy.db.exec(`PRAGMA foreign_keys = OFF;
    CREATE TABLE e2 AS SELECT * FROM graph_edges; DROP TABLE graph_edges; ALTER TABLE e2 RENAME TO graph_edges;`);
  return copy;
}

async function unindexedPostgres(url: string, from: string, to: string): Promise<PostgresGraph> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA ${to}`);
  await c.query(`CREATE TABLE ${to}.graph_nodes (LIKE ${from}.graph_nodes INCLUDING ALL)`);
  await c.query(`INSERT INTO ${to}.graph_nodes SELECT * FROM ${from}.graph_nodes`);
  await c.query(`CREATE TABLE ${to}.graph_edges AS SELECT * FROM ${from}.graph_edges`);
  for (const t of [
    'graph_aliases',
    'graph_meta',
    'graph_itemsets',
    'graph_rules',
    'graph_schema_migrations',
  ]) {
    await c.query(`CREATE TABLE ${to}.${t} (LIKE ${from}.${t} INCLUDING ALL)`);
    await c.query(`INSERT INTO ${to}.${t} SELECT * FROM ${from}.${t}`);
  }
  await c.query(`ANALYZE ${to}.graph_edges`);
  await c.end();
  return openPostgresGraph({ url, schema: to, maxConnections: 2, adjacency: false });
}

const ENRICH_TEXT =
  'APT28 (Fancy Bear) sent spearphishing attachments that dropped X-Agent; the loader ran PowerShell, ' +
  'dumped credentials with Mimikatz and exfiltrated data over HTTPS to 203.0.113.7 and update-check.example.net. ';

async function enrichTimes(graph: GraphStore): Promise<Timing> {
  const input = {
    text: ENRICH_TEXT.repeat(10),
    indicators: [
      { type: 'ipv4' as const, value: '203.0.113.7' },
      { type: 'domain' as const, value: 'update-check.example.net' },
    ],
    techniques: [
      'T1566.001',
      'T1059.001',
      'T1003.001',
      'T1071.001',
      'T1041',
      'T1105',
      'T1027',
      'T1547.001',
    ].map((id, i) => ({
      id,
      score: 0.9 - i * 0.05,
    })),
    cves: ['CVE-2023-23397', 'CVE-2021-44228'],
  };
  for (let i = 0; i < 5; i++) await enrich(graph, input);
  return measure(50, async () => {
    await enrich(graph, input);
    return 0;
  });
}

/** First start (empty graph) and later starts of `ensureCatalogueLoaded`, with pattern mining as the integrator runs it. */
async function catalogueTimes(open: () => Promise<GraphStore>): Promise<Record<string, number>> {
  const g = await open();
  try {
    const t0 = Date.now();
    await ensureCatalogueLoaded(g, { afterLoad: (x) => minePatterns(x) });
    const coldMs = Date.now() - t0;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = process.hrtime.bigint();
      await ensureCatalogueLoaded(g);
      warm.push(Number(process.hrtime.bigint() - t1) / 1e6);
    }
    return { catalogueColdMs: coldMs, catalogueWarmMs: warm.sort((a, b) => a - b)[2] ?? Number.NaN };
  } finally {
    await g.close();
  }
}

/** A store on the same data with its own connections and these cache options. */
type WithCache = (
  options: AdjacencyCacheOptions,
) => Promise<GraphStore & { readonly adjacency: AdjacencyCache | undefined }>;

/**
 * The 2-hop under threat writes twice, each on a store of its own: own writes applied to the
 * snapshot in place (the default options: on SQLite, with `catchUp` on, they arrive through the change
 * log instead), then with `inPlace: false, catchUp: false` (every write invalidates: the code before both).
 */
async function underWrites(graph: GraphStore, withCache: WithCache, any: string[]) {
  const techniques = await techniquesOf(graph);
  const out: Record<string, UnderWrites> = {};
  for (const inPlace of [true, false]) {
    const store = await withCache(inPlace ? {} : { inPlace: false, catchUp: false });
    try {
      const tag = inPlace ? 'inplace' : 'reload';
      out[tag] = await timeUnderWrites(store, any, techniques, { depth: 2 }, UNDER_WRITES, tag);
    } finally {
      await store.close();
    }
  }
  return { underWritesInPlace: out.inplace, underWritesReload: out.reload };
}

/** Technique ids (without the `technique:` prefix) the writers use, drawn with a fixed seed. */
async function techniquesOf(graph: GraphStore): Promise<string[]> {
  return [
    ...new Set(
      (await starts(graph, 300, SEED + 3, 'Technique'))
        .map((id) => id.slice('technique:'.length))
        .filter((id) => /^T\d{4}(\.\d{3})?$/.test(id)),
    ),
  ];
}

/** How a backend starts the foreign writer process and reads its commit token. */
interface Foreign {
  spawn: (techniques: string[]) => ChildProcess;
  version: (database: GraphStore) => Promise<string>;
}

/** The writer process's arguments common to both backends. */
const writerArgs = (techniques: string[]) => [
  '--import',
  'tsx',
  join(import.meta.dirname, 'foreign-writer.ts'),
  '--write-ms',
  String(UNDER_WRITES.writeMs),
  '--group',
  String(UNDER_WRITES.group),
  '--seed',
  String(SEED + 4),
  '--tag',
  `foreign${process.pid}`,
  '--techniques',
  techniques.join(','),
];

/**
 * The 2-hop under another process's threat writes, catch-up on and off interleaved in blocks
 * (`foreign-writes.ts`).
 */
async function foreignWrites(
  graph: GraphStore,
  withCache: WithCache,
  withoutCache: () => Promise<GraphStore>,
  foreign: Foreign,
  any: string[],
): Promise<{ foreignWrites: ForeignWrites }> {
  const techniques = await techniquesOf(graph);
  const catchUp = await withCache({ catchUp: true });
  const reload = await withCache({ catchUp: false });
  const database = await withoutCache();
  try {
    const result = await timeForeignWrites(
      { catchUp, reload },
      database,
      () => foreign.version(database),
      any,
      { depth: 2 },
      { gapMs: UNDER_WRITES.gapMs, block: Number(args.block) },
      () => foreign.spawn(techniques),
    );
    return { foreignWrites: result };
  } finally {
    for (const store of [catchUp, reload, database]) await store.close();
  }
}

async function run(
  name: string,
  graph: GraphStore,
  unindexed: () => Promise<GraphStore>,
  fresh: () => Promise<GraphStore>,
  withoutCache: () => Promise<GraphStore>,
  withCache: WithCache,
  foreign: Foreign,
): Promise<Record<string, unknown>> {
  if (args.runs === 'foreign' || args.runs === 'writes') {
    const load = await fill(graph);
    const stats = await graph.stats();
    const any = await starts(graph, QUERIES, SEED);
    return {
      backend: name,
      ...load,
      nodes: stats.nodes,
      edges: stats.edges,
      ...(args.runs === 'foreign'
        ? await foreignWrites(graph, withCache, withoutCache, foreign, any)
        : await underWrites(graph, withCache, any)),
    };
  }
  const catalogue = await catalogueTimes(fresh);
  const load = await fill(graph);
  const stats = await graph.stats();
  const t0 = Date.now();
  const mined = await minePatterns(graph);
  const mineMs = Date.now() - t0;
  const any = await starts(graph, QUERIES, SEED);
  const actors = await starts(graph, QUERIES, SEED + 1, 'Actor');
  // The first query after the import fills the cache: its wall time and the load alone.
  // The first query after the import (which invalidated the cache): answered by the database while
  // the first fill runs in the background; then the wait for that fill and the load alone.
  const first = await timed(() => graph.neighbours(any[0] as string, { depth: 2 }));
  const fillWait = await timed(async () => cacheOf(graph)?.settled());
  const firstFill = {
    queryMs: first.ms,
    queryCpuMs: first.cpu,
    waitMs: fillWait.ms,
    loadMs: cacheOf(graph)?.stats().lastLoadMs,
  };
  const database = await withoutCache();
  const {
    store: twoHop,
    database: databaseTwoHop,
    perEdge,
    differing,
  } = await timeAgainstPerEdge(graph, database, any, { depth: 2 });
  await database.close();
  // The same warm 2-hop alone (not interleaved), to tell the query's own tail from the baselines' garbage.
  const twoHopAlone = await time(graph, any, { depth: 2 });
  const oneHop = await time(graph, any, { depth: 1 });
  const typed: NeighbourOptions = { depth: 2, edgeTypes: ['USES'], nodeTypes: ['Actor'] };
  const actorTwoHop = await time(graph, actors, typed);
  const enrichT = await enrichTimes(graph);
  const copy = await unindexed();
  const noIndex = await time(copy, any, { depth: 2 });
  await copy.close();
  const cache = cacheOf(graph)?.stats();
  const writer = await withoutCache();
  const coldRuns = await timeCold(graph, writer, any.slice(0, Math.min(50, any.length)), { depth: 2 });
  await writer.close();
  // Last: they add threats to the graph.
  const writes = await underWrites(graph, withCache, any);
  const foreignRun = await foreignWrites(graph, withCache, withoutCache, foreign, any);
  return {
    backend: name,
    ...writes,
    ...foreignRun,
    firstFill,
    cache,
    ...coldRuns,
    databaseTwoHop,
    twoHopAlone,
    ...catalogue,
    ...load,
    nodes: stats.nodes,
    edges: stats.edges,
    mineMs,
    rules: mined.rules,
    twoHop,
    oneHop,
    perEdge,
    differing,
    actorTwoHop,
    noIndex,
    enrich: enrichT,
  };
}

const machineInfo = {
  ...machine(),
  commit: execSync('git rev-parse --short HEAD').toString().trim(),
  loadStart: loadavg()[0]?.toFixed(1),
};
const results: Record<string, unknown>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'cs-bench-graph-'));
try {
  const backends = (args.backends as string).split(',');
  if (backends.includes('sqlite')) {
    const g = openSqliteGraph({ path: join(dir, 'graph.sqlite') });
    const fresh = async () => openSqliteGraph({ path: join(dir, 'fresh.sqlite') });
    const withoutCache = async () => openSqliteGraph({ path: join(dir, 'graph.sqlite'), adjacency: false });
    const withCache: WithCache = async (adjacency) =>
      openSqliteGraph({ path: join(dir, 'graph.sqlite'), adjacency });
    const foreign: Foreign = {
      spawn: (techniques) =>
        spawn(
          process.execPath,
          [...writerArgs(techniques), '--backend', 'sqlite', '--path', join(dir, 'graph.sqlite')],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      version: async (database) =>
        String((database as SqliteGraph).db.pragma('data_version', { simple: true })),
    };
    results.push(
      await run('sqlite', g, () => unindexedSqlite(g, dir), fresh, withoutCache, withCache, foreign),
    );
    await g.close();
  }
  if (backends.includes('postgres')) {
    const url = args['database-url'] as string;
    const schema = `bench_graph_${process.pid}`;
    const g = await openPostgresGraph({ url, schema, maxConnections: 2 });
    try {
      const fresh = () => openPostgresGraph({ url, schema: `${schema}_fresh`, maxConnections: 2 });
      const withoutCache = () => openPostgresGraph({ url, schema, maxConnections: 2, adjacency: false });
      // Connections for the writer, the query (and its check) and the background load.
      const withCache: WithCache = (adjacency) =>
        openPostgresGraph({ url, schema, maxConnections: 4, adjacency });
      results.push(
        await run(
          'postgres',
          g,
          () => unindexedPostgres(url, schema, `${schema}_noidx`),
          fresh,
          withoutCache,
          withCache,
          {
            spawn: (techniques) =>
              spawn(
                process.execPath,
                [...writerArgs(techniques), '--backend', 'postgres', '--url', url, '--schema', schema],
                { stdio: ['ignore', 'pipe', 'pipe'] },
              ),
            version: async (database) =>
              String(
                (await (database as PostgresGraph).pool.query('SELECT n FROM graph_generation')).rows[0]?.n,
              ),
          },
        ),
      );
    } finally {
      // No background snapshot read may hold a lock on the tables the drop takes.
      await g.adjacency?.close();
      await g.pool.query(
        `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_noidx CASCADE;
         DROP SCHEMA IF EXISTS ${schema}_fresh CASCADE`,
      );
      await g.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const f = (t: Timing) =>
  `${t.p50.toFixed(2)} / ${t.p95.toFixed(2)} / ${t.p99.toFixed(2)} / ${t.max.toFixed(1)} | ${t.cpuP50.toFixed(2)} / ${t.cpuP95.toFixed(2)} | ${(100 * t.under10ms).toFixed(0)} %`;
process.stdout.write(
  `${JSON.stringify({ machine: { ...machineInfo, loadEnd: loadavg()[0]?.toFixed(1) }, results }, null, 2)}\n\n`,
);
process.stdout.write(
  '| backend | query | wall p50 / p95 / p99 / max (ms) | CPU p50 / p95 (ms) | under 10 ms | mean nodes reached |\n|---|---|---|---|---|---|\n',
);
for (const r of results) {
  const row = (label: string, t: Timing) =>
    process.stdout.write(
      `| ${r.backend} | ${label} | ${f(t)} | ${t.meanNodes ? Math.round(t.meanNodes) : '-'} |\n`,
    );
  for (const [label, w] of [
    ['own writes applied in place', r.underWritesInPlace],
    ['every write reloads (inPlace: false, catchUp: false)', r.underWritesReload],
  ] as const) {
    if (!w) continue;
    const u = w as UnderWrites;
    row(`2-hop under threat writes, ${label}`, u.query);
    process.stdout.write(
      `| ${r.backend} | ↳ ${u.groups} groups of ${UNDER_WRITES.group} threats every ${UNDER_WRITES.writeMs} ms (group p50 ${u.groupP50.toFixed(1)} / p95 ${u.groupP95.toFixed(1)} ms); answers: ${u.fromSnapshot} snapshot, ${u.fromDatabase} database; ${u.reloads} reloads (${u.compactions} compactions), ${u.appliedInPlace} writes in place, ${u.catchUps} catch-ups; ${u.differing} of ${u.checked} checked differ from the reference; run ${(u.runWallMs / 1000).toFixed(1)} s wall, ${(u.runCpuMs / 1000).toFixed(1)} s CPU, event-loop delay p99 ${u.loopDelayP99.toFixed(1)} / max ${u.loopDelayMax.toFixed(1)} ms | | | | |\n`,
    );
  }
  const fw = r.foreignWrites as ForeignWrites | undefined;
  if (fw) {
    for (const [label, side] of [
      ['catch-up from the change log (catchUp: true)', fw.catchUp],
      ['every foreign write reloads (catchUp: false)', fw.reload],
    ] as const) {
      row(`2-hop under another process's threat writes, ${label}`, side.query);
      process.stdout.write(
        `| ${r.backend} | ↳ answers: ${side.fromSnapshot} snapshot, ${side.fromDatabase} database; ${side.reloads} reloads, ${side.catchUps} catch-ups${side.catchUps > 0 ? ` (those queries p50 / p95 / max ${side.caughtUpP50.toFixed(2)} / ${side.caughtUpP95.toFixed(2)} / ${side.caughtUpMax.toFixed(1)} ms)` : ''}, ${side.catchUpsRefused} refused; ${side.differing} of ${side.checked} checked differ from the reference | | | | |\n`,
      );
    }
    process.stdout.write(
      `| ${r.backend} | ↳ writer: ${fw.writer}; ${fw.groups} groups of ${UNDER_WRITES.group} threats every ${UNDER_WRITES.writeMs} ms (group p50 ${fw.groupP50.toFixed(1)} / p95 ${fw.groupP95.toFixed(1)} ms); blocks of ${args.block} queries, alternating | | | | |\n`,
    );
  }
  if (args.runs === 'writes' || args.runs === 'foreign') continue;
  row('2-hop, adjacency cache warm', r.twoHop as Timing);
  row('2-hop, adjacency cache warm, alone (not interleaved)', r.twoHopAlone as Timing);
  row(
    "2-hop after another connection's write before each query (a node row change: caught up from the log with catchUp on, the default; without it the database answers and a reload starts)",
    r.cold as Timing,
  );
  row('2-hop, the same query again after the reload', r.warmAfter as Timing);
  row(
    '2-hop, database traversal, no cache (the code before the cache, baseline)',
    r.databaseTwoHop as Timing,
  );
  row('1-hop, adjacency cache warm', r.oneHop as Timing);
  row('2-hop, every edge read into JS (previous traversal, baseline)', r.perEdge as Timing);
  if (r.differing !== 0)
    process.stdout.write(`| ${r.backend} | answers differing from the baseline: ${r.differing} | | | | |\n`);
  row('2-hop, no edge index (baseline)', r.noIndex as Timing);
  row('2-hop actor->USES->actor, adjacency cache warm', r.actorTwoHop as Timing);
  row('enrich (8 techniques, 2 indicators, 2 CVEs, 2 KB text)', r.enrich as Timing);
  const loads = r.loadMs as number[];
  const waits = r.reloadWaitMs as number[];
  process.stdout.write(
    `| ${r.backend} | background reload after a cold query: load p50 ${pct(loads, 50).toFixed(1)} / max ${(loads.at(-1) ?? Number.NaN).toFixed(1)} ms, wait for it p50 ${pct(waits, 50).toFixed(1)} / max ${(waits.at(-1) ?? Number.NaN).toFixed(1)} ms; first fill after the import: ${JSON.stringify(r.firstFill)} | | | | |\n`,
  );
}
