/**
 * 2-hop queries while the store records threats as the service does: every `writeMs` a group
 * of `group` predictions, each a Threat node with CONTAINS edges to two indicators (one from a
 * small shared pool, so most already exist after a while, one new) and USES edges to three
 * existing techniques; on SQLite the group is one transaction around the `recordThreat` calls
 * (as `createThreatRecorder` does), on PostgreSQL one transaction each.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { mulberry32 } from '../../src/core/index.js';
import { referenceNeighbours } from '../../src/graph/conformance-reach.js';
import {
  type AdjacencyCache,
  type GraphStore,
  type NeighbourOptions,
  recordThreat,
  SqliteGraph,
} from '../../src/graph/index.js';
import { pct, summarise, type Timing, timed } from './timing.js';

/** How the writes and queries are paced. */
export interface UnderWritesConfig {
  /** Milliseconds between two groups of threats. */
  writeMs: number;
  /** Threats per group. */
  group: number;
  /** Milliseconds between one query's check and the next query. */
  gapMs: number;
  seed: number;
}

/** What one run measured. */
export interface UnderWrites {
  /** The 2-hop queries, wall and CPU. */
  query: Timing;
  /** Groups written, and the wall time of one group (ms). */
  groups: number;
  groupP50: number;
  groupP95: number;
  /** Answers from the snapshot, from the database (stale or over budget), and full reloads. */
  fromSnapshot: number;
  fromDatabase: number;
  reloads: number;
  /** Own writes applied in place, and compaction reloads. */
  appliedInPlace: number;
  compactions: number;
  /** Catch-ups from the change log (on SQLite with `catchUp`, own writes arrive that way). */
  catchUps: number;
  /** Answers compared with the per-edge reference (no write in flight), and those that differed. */
  checked: number;
  differing: number;
  /** The whole run: wall and this process's CPU milliseconds (queries, checks, writes, reloads). */
  runWallMs: number;
  runCpuMs: number;
  /** Event-loop delay over the run, p99 and max (ms): what a synchronous reload costs every other request. */
  loopDelayP99: number;
  loopDelayMax: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One group of threats, as the threat recorder writes it (on SQLite one transaction). */
export async function writeGroup(
  store: GraphStore,
  ids: string[],
  techniques: readonly string[],
  r: () => number,
): Promise<void> {
  const pick = () => techniques[Math.floor(r() * techniques.length)] as string;
  const record = async () => {
    for (const id of ids)
      await recordThreat(store, {
        predictionId: id,
        title: `bench threat ${id}`,
        severity: 'high',
        indicators: [
          { type: 'domain', value: `shared-${Math.floor(r() * 30)}.bench.example` },
          { type: 'domain', value: `${id}.bench.example` },
        ],
        // Scores in steps of 0.05, so ties with loaded edges are common.
        techniques: [pick(), pick(), pick()].map((t) => ({ id: t, score: Math.round(r() * 20) / 20 })),
      });
  };
  if (!(store instanceof SqliteGraph)) return record();
  store.db.exec('BEGIN IMMEDIATE');
  try {
    await record();
    store.db.exec('COMMIT');
  } catch (err) {
    store.db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Queries `starts` one after the other (`gapMs` apart, each answer then compared with the
 * per-edge reference when no write was in flight from the query's start to the comparison's
 * end) while a writer records a group of threats every `writeMs`.
 */
export async function timeUnderWrites(
  store: GraphStore & { readonly adjacency: AdjacencyCache | undefined },
  starts: readonly string[],
  techniques: readonly string[],
  options: NeighbourOptions,
  config: UnderWritesConfig,
  tag: string,
): Promise<UnderWrites> {
  const cache = store.adjacency;
  if (!cache) throw new Error('timeUnderWrites needs a store with an adjacency cache');
  for (const s of starts.slice(0, 20)) await store.neighbours(s, options);
  await cache.settled();
  const before = cache.stats();
  const r = mulberry32(config.seed);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let started = 0;
  let done = 0;
  let stop = false;
  const groupMs: number[] = [];
  const writer = (async () => {
    while (!stop) {
      await sleep(config.writeMs);
      if (stop) break;
      const ids = Array.from({ length: config.group }, (_, i) => `bench-${tag}-${started}-${i}`);
      started++;
      const t = await timed(() => writeGroup(store, ids, techniques, r));
      done++;
      groupMs.push(t.ms);
    }
  })();
  const ms: number[] = [];
  const cpu: number[] = [];
  let nodes = 0;
  let checked = 0;
  let differing = 0;
  try {
    for (const s of starts) {
      await sleep(config.gapMs);
      const quiet = started === done ? started : -1;
      const t = await timed(() => store.neighbours(s, options));
      ms.push(t.ms);
      cpu.push(t.cpu);
      nodes += t.value.reached;
      const expected = await referenceNeighbours(store, s, options);
      if (quiet !== started || quiet !== done) continue;
      checked++;
      // Whole answers: node rows (as cached), depths, `via`, `reached`, `truncated`.
      if (!isDeepStrictEqual(t.value, expected)) differing++;
    }
  } finally {
    stop = true;
    await writer;
    await cache.settled();
    loop.disable();
  }
  const runWallMs = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  const after = cache.stats();
  groupMs.sort((a, b) => a - b);
  return {
    query: summarise(ms, cpu, nodes),
    groups: done,
    groupP50: pct(groupMs, 50),
    groupP95: pct(groupMs, 95),
    fromSnapshot: after.hits - before.hits,
    fromDatabase: after.stale - before.stale + (after.fallbacks - before.fallbacks),
    reloads: after.loads - before.loads,
    appliedInPlace: after.applied - before.applied,
    compactions: after.compactions - before.compactions,
    catchUps: after.catchUps - before.catchUps,
    checked,
    differing,
    runWallMs,
    runCpuMs: (c.user + c.system) / 1000,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };
}
