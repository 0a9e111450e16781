/**
 * 2-hop queries while ANOTHER PROCESS (`foreign-writer.ts`, its own store and connection) records
 * threats as the service's recorder does: the case of a second API replica or a worker writing.
 * Two measured stores in this process, one with `adjacency: {catchUp: true}` (catch up from the
 * change log, ADR 0005 amendment 2) and one without (every foreign write reloads), take turns in
 * blocks of `block` queries over the same starts (the order alternating per block), so both see the
 * same writer and machine load; between blocks the one leaving waits for its reload (untimed), so a
 * reload of one does not run during the other's block.
 */
import type { ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { referenceNeighbours } from '../../src/graph/conformance-reach.js';
import type { AdjacencyCache, GraphStore, NeighbourOptions } from '../../src/graph/index.js';
import { pct, summarise, type Timing, timed } from './timing.js';

type CachedStore = GraphStore & { readonly adjacency: AdjacencyCache | undefined };

/** What one store measured under the foreign writer. */
export interface ForeignSide {
  query: Timing;
  /** Answers from the snapshot and from the database; full loads; catch-ups applied and refused. */
  fromSnapshot: number;
  fromDatabase: number;
  reloads: number;
  catchUps: number;
  catchUpsRefused: number;
  /** Answers compared with the per-edge reference (no commit between the query's start and the check's end), differing. */
  checked: number;
  differing: number;
  /** Wall ms of the queries that caught up (read the log, then answered from the snapshot): p50, p95, max. */
  caughtUpP50: number;
  caughtUpP95: number;
  caughtUpMax: number;
}

/** The run: both sides and the writer's groups. */
export interface ForeignWrites {
  catchUp: ForeignSide;
  reload: ForeignSide;
  groups: number;
  groupP50: number;
  groupP95: number;
  writer: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the writer process and resolves once it printed `ready`; its group times go to `groupMs`. */
function startWriter(spawnWriter: () => ChildProcess, groupMs: number[]): Promise<ChildProcess> {
  const child = spawnWriter();
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve(child);
        else if (line) groupMs.push(Number(line));
      }
    });
    child.stderr?.on('data', (chunk) => process.stderr.write(chunk));
    child.once('exit', (code) => reject(new Error(`foreign writer exited (${code}) before it was ready`)));
  });
}

/**
 * Times `starts` on both stores under the foreign writer. `version` reads a token that moves with
 * every commit by another connection (SQLite `data_version` of `database`'s connection, PostgreSQL
 * `graph_generation`); `database` (cache off) answers the per-edge reference.
 */
export async function timeForeignWrites(
  stores: { catchUp: CachedStore; reload: CachedStore },
  database: GraphStore,
  version: () => Promise<string>,
  starts: readonly string[],
  options: NeighbourOptions,
  config: { gapMs: number; block: number },
  spawnWriter: () => ChildProcess,
): Promise<ForeignWrites> {
  const sides = [
    { name: 'catchUp' as const, store: stores.catchUp },
    { name: 'reload' as const, store: stores.reload },
  ];
  const before = new Map<string, ReturnType<AdjacencyCache['stats']>>();
  for (const { name, store } of sides) {
    const cache = store.adjacency;
    if (!cache) throw new Error('timeForeignWrites needs stores with an adjacency cache');
    for (const s of starts.slice(0, 20)) await store.neighbours(s, options);
    await cache.settled();
    before.set(name, cache.stats());
  }
  const acc = new Map(
    sides.map((s) => [
      s.name,
      { ms: [] as number[], cpu: [] as number[], caught: [] as number[], nodes: 0, checked: 0, differing: 0 },
    ]),
  );
  const groupMs: number[] = [];
  const child = await startWriter(spawnWriter, groupMs);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (let b = 0, first = 0; first < starts.length; b++, first += config.block) {
      const block = starts.slice(first, first + config.block);
      for (const { name, store } of b % 2 === 0 ? sides : [...sides].reverse()) {
        const a = acc.get(name) as NonNullable<ReturnType<typeof acc.get>>;
        for (const s of block) {
          await sleep(config.gapMs);
          const v0 = await version();
          const c0 = store.adjacency?.stats().catchUps;
          const t = await timed(() => store.neighbours(s, options));
          if (store.adjacency?.stats().catchUps !== c0) a.caught.push(t.ms);
          a.ms.push(t.ms);
          a.cpu.push(t.cpu);
          a.nodes += t.value.reached;
          const expected = await referenceNeighbours(database, s, options);
          if ((await version()) !== v0) continue;
          a.checked++;
          if (!isDeepStrictEqual(t.value, expected)) a.differing++;
        }
        await store.adjacency?.settled();
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const side = (name: 'catchUp' | 'reload'): ForeignSide => {
    const a = acc.get(name) as NonNullable<ReturnType<typeof acc.get>>;
    const s0 = before.get(name) as ReturnType<AdjacencyCache['stats']>;
    const s1 = (name === 'catchUp' ? stores.catchUp : stores.reload).adjacency?.stats() ?? s0;
    return {
      query: summarise(a.ms, a.cpu, a.nodes),
      fromSnapshot: s1.hits - s0.hits,
      fromDatabase: s1.stale - s0.stale + (s1.fallbacks - s0.fallbacks),
      reloads: s1.loads - s0.loads,
      catchUps: s1.catchUps - s0.catchUps,
      catchUpsRefused: s1.catchUpsRefused - s0.catchUpsRefused,
      checked: a.checked,
      differing: a.differing,
      caughtUpP50: pct(
        a.caught.sort((x, y) => x - y),
        50,
      ),
      caughtUpP95: pct(a.caught, 95),
      caughtUpMax: a.caught.at(-1) ?? Number.NaN,
    };
  };
  groupMs.sort((x, y) => x - y);
  return {
    catchUp: side('catchUp'),
    reload: side('reload'),
    groups: groupMs.length,
    groupP50: pct(groupMs, 50),
    groupP95: pct(groupMs, 95),
    writer: 'another process (bench/graph/foreign-writer.ts), its own store and connection',
  };
}
