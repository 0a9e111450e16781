import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdjacencyCache } from './adjacency-cache.js';
import type { AdjacencySource } from './adjacency-cache-types.js';
import type { NeighbourResult } from './contract.js';
import type { GraphNode, NodeType } from './schema.js';

/** A star: hub H with `n` leaves L000..; edges H -USES-> leaf, the confidence cycling over 3 values. */
function starSource(n: number, loadMs = 0) {
  const description = 'x'.repeat(100);
  const calls = { generation: 0, load: 0, getNodes: 0, database: 0 };
  let generation = 1;
  const hub: { id: string; type: NodeType } = { id: 'actor:H', type: 'Actor' };
  const nodes: GraphNode[] = [hub, ...leaves()].map((n) => ({
    ...n,
    name: n.id,
    props: { description },
    sources: ['t'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }));
  function leaves(): { id: string; type: NodeType }[] {
    return Array.from({ length: n }, (_, i) => ({
      id: `malware:L${String(i).padStart(3, '0')}`,
      type: 'Malware',
    }));
  }
  const source: AdjacencySource = {
    generation: async () => {
      calls.generation++;
      return String(generation);
    },
    load: async (builder, maxEdges) => {
      calls.load++;
      if (loadMs > 0) await new Promise((resolve) => setTimeout(resolve, loadMs));
      if (n > maxEdges) return false;
      for (const node of nodes) builder.node(node.id, node.type);
      leaves().forEach((l, i) => {
        builder.edge('actor:H', 'USES', l.id, 'test', [0.5, 0.9, 0.7][i % 3] as number);
      });
      return String(generation);
    },
    getNodes: async (ids) => {
      calls.getNodes++;
      return nodes.filter((x) => ids.includes(x.id));
    },
    neighboursInDatabase: async (start): Promise<NeighbourResult> => {
      calls.database++;
      return { start, neighbours: [], reached: 0, truncated: false };
    },
  };
  return { source, calls, bump: () => generation++ };
}

/** A query on a fresh or invalidated cache: answered by the database; the reload then finishes in the background. */
async function warm(cache: AdjacencyCache, start = 'actor:H'): Promise<void> {
  await cache.neighbours(start);
  await cache.settled();
}

test('a stale cache answers from the database and reloads once in the background; then from the snapshot', async () => {
  const { source, calls, bump } = starSource(30);
  const cache = new AdjacencyCache(source);
  const first = await Promise.all([cache.neighbours('actor:H'), cache.neighbours('actor:H', { depth: 2 })]);
  assert.deepEqual(
    first.map((r) => r.reached),
    [0, 0],
    'both from the (fake) database',
  );
  await cache.settled();
  assert.equal(calls.load, 1, 'concurrent stale queries start one load');
  assert.equal(calls.database, 2);
  const a = await cache.neighbours('actor:H', { limit: 5 });
  assert.deepEqual(
    a.neighbours.map((x) => [x.node.id, x.via.confidence]),
    [
      ['malware:L001', 0.9],
      ['malware:L004', 0.9],
      ['malware:L007', 0.9],
      ['malware:L010', 0.9],
      ['malware:L013', 0.9],
    ],
  );
  assert.equal(a.reached, 30);
  assert.equal(a.truncated, true);
  const second = await cache.neighbours('malware:L000', { depth: 2, nodeTypes: ['Malware'] });
  assert.equal(second.neighbours.length, 29);
  assert.equal(calls.getNodes, 2, 'the fake load reads no rows: each answer reads those it lacks');
  await cache.neighbours('malware:L000', { depth: 2, nodeTypes: ['Malware'] });
  assert.equal(calls.getNodes, 2, 'rows already held are not read again');
  bump();
  await cache.neighbours('actor:H');
  assert.equal(calls.database, 3, 'after a write the database answers');
  await cache.settled();
  assert.equal(calls.load, 2);
  await cache.neighbours('actor:H');
  assert.equal(calls.getNodes, 3, 'a new generation drops the node rows');
  const s = cache.stats();
  assert.equal(s.edges, 30);
  assert.equal(s.nodes, 31);
  assert.deepEqual([s.hits, s.stale, s.fallbacks], [4, 3, 0]);
  assert.ok(s.arrayBytes > 0);
});

test('node rows are bounded by maxNodeChars, least recently used dropped first', async () => {
  const { source, calls } = starSource(40);
  const rowChars = JSON.stringify({
    id: 'malware:L000',
    type: 'Malware',
    name: 'malware:L000',
    props: { description: 'x'.repeat(100) },
    sources: ['t'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }).length;
  const cache = new AdjacencyCache(source, { maxNodeChars: 10 * rowChars });
  await warm(cache);
  const all = await cache.neighbours('actor:H');
  assert.equal(all.neighbours.length, 40, 'rows beyond the bound are answered, not kept');
  assert.ok(cache.stats().nodeChars <= 10 * rowChars);
  assert.equal(cache.stats().nodeRows, 10);
  const before = calls.getNodes;
  const again = await cache.neighbours('actor:H');
  assert.equal(calls.getNodes, before + 1);
  assert.deepEqual(
    again.neighbours.map((x) => x.node),
    all.neighbours.map((x) => x.node),
  );
  // Returned rows are copies: changing one does not change the cache.
  const one = (await cache.neighbours('malware:L039')).neighbours[0];
  assert.ok(one);
  one.node.props.description = 'changed';
  assert.equal(
    (await cache.neighbours('malware:L039')).neighbours[0]?.node.props.description,
    'x'.repeat(100),
  );
});

test('over maxEdges the cache answers from the database and does not reload until the next write', async () => {
  const { source, calls, bump } = starSource(20);
  const cache = new AdjacencyCache(source, { maxEdges: 19 });
  await warm(cache);
  await cache.neighbours('actor:H', { depth: 2 });
  assert.equal(calls.database, 2);
  assert.equal(calls.load, 1);
  assert.equal(cache.stats().edges, 0);
  assert.equal(cache.stats().fallbacks, 1);
  bump();
  await warm(cache);
  assert.equal(calls.load, 2);
  assert.throws(() => new AdjacencyCache(source, { maxEdges: -1 }), { code: 'CS_ERR_CONFIG_INVALID' });
});

test('loads whose snapshot answered nothing before the next write back off', async () => {
  // Loads take 50 ms: after one whose snapshot answered nothing, the next waits 2 x 50 ms.
  const { source, calls, bump } = starSource(5, 50);
  const cache = new AdjacencyCache(source);
  await warm(cache);
  bump();
  await warm(cache);
  assert.equal(calls.load, 2);
  bump();
  await warm(cache);
  bump();
  await warm(cache);
  assert.equal(calls.load, 2, 'backing off: the database answers, nothing is loaded');
  assert.equal(cache.stats().hits, 0);
  await new Promise((resolve) => setTimeout(resolve, 150));
  await warm(cache);
  assert.equal(calls.load, 3);
  await cache.neighbours('actor:H');
  assert.equal(cache.stats().hits, 1);
});

test('close waits for the running load and starts no other (the store then closes with no read in flight)', async () => {
  const { source, calls, bump } = starSource(5, 30);
  const cache = new AdjacencyCache(source);
  await cache.neighbours('actor:H');
  await cache.close();
  assert.equal(cache.stats().edges, 5, 'close resolved only after the load that was running had finished');
  assert.equal(calls.load, 1);
  bump();
  await cache.neighbours('actor:H');
  await cache.settled();
  assert.equal(calls.load, 1, 'a stale query after close answers from the database and starts no load');
  assert.equal(calls.database, 2);
});

/**
 * A graph whose load reads what it holds when it starts (as a repeatable-read snapshot would)
 * and returns after `loadMs`; `write` changes it as a committed own write and reports it.
 */
function liveSource(loadMs: number) {
  let generation = 1;
  const nodes = new Map<string, NodeType>([['actor:H', 'Actor']]);
  const edges: { dst: string; confidence: number }[] = [];
  let loads = 0;
  const source: AdjacencySource = {
    generation: async () => String(generation),
    load: async (builder) => {
      loads++;
      const at = { generation, nodes: [...nodes], edges: [...edges] };
      await new Promise((resolve) => setTimeout(resolve, loadMs));
      for (const [id, type] of at.nodes) builder.node(id, type);
      for (const e of at.edges) builder.edge('actor:H', 'USES', e.dst, 't', e.confidence);
      return String(at.generation);
    },
    getNodes: async (ids) =>
      ids.flatMap((id) => {
        const type = nodes.get(id);
        return type
          ? [{ id, type, name: id, props: {}, sources: ['t'], createdAt: 'c', updatedAt: 'u' }]
          : [];
      }),
    neighboursInDatabase: async (start): Promise<NeighbourResult> => ({
      start,
      neighbours: [],
      reached: -1,
      truncated: false,
    }),
  };
  /** A new leaf `id` of H; `own`: reported to `cache` as this process's write. */
  const write = (cache: AdjacencyCache, id: string, own = true) => {
    const before = String(generation++);
    nodes.set(id, 'Malware');
    edges.push({ dst: id, confidence: 0.5 });
    const edge = {
      src: 'actor:H',
      srcType: 'Actor' as const,
      type: 'USES' as const,
      dst: id,
      dstType: 'Malware' as const,
      source: 't',
      confidence: 0.5,
    };
    if (own)
      cache.applied({
        before,
        after: String(generation),
        added: { nodes: [{ id, type: 'Malware' }], edges: [edge] },
        updated: [],
      });
  };
  return { source, write, loads: () => loads };
}

const leafIds = async (cache: AdjacencyCache) =>
  (await cache.neighbours('actor:H')).neighbours.map((n) => n.node.id);

test('own writes apply in place; those made while a load runs are replayed on its snapshot', async () => {
  const live = liveSource(30);
  const cache = new AdjacencyCache(live.source);
  await cache.neighbours('actor:H');
  await new Promise((resolve) => setTimeout(resolve, 10));
  // The load has read generation 1; these two writes come after it.
  live.write(cache, 'malware:B');
  live.write(cache, 'malware:A');
  await cache.settled();
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B']);
  live.write(cache, 'malware:C');
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B', 'malware:C']);
  const s = cache.stats();
  assert.deepEqual([s.loads, s.stale, s.hits, s.applied, s.deltaEdges], [1, 1, 2, 3, 3]);
  assert.equal(live.loads(), 1);
  // Another process's write, then an own one starting after it: the chain is broken, so stale.
  live.write(cache, 'malware:D', false);
  live.write(cache, 'malware:E');
  assert.equal((await cache.neighbours('actor:H')).reached, -1, 'from the database');
  await cache.settled();
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B', 'malware:C', 'malware:D', 'malware:E']);
  assert.equal(cache.stats().deltaEdges, 0);
});

test('past maxDeltaEdges a reload compacts the delta while the current snapshot keeps answering', async () => {
  const live = liveSource(30);
  const cache = new AdjacencyCache(live.source, { maxDeltaEdges: 1 });
  await cache.neighbours('actor:H');
  await cache.settled();
  live.write(cache, 'malware:A');
  live.write(cache, 'malware:B');
  assert.equal(cache.stats().compactions, 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B'], 'while the compaction runs');
  live.write(cache, 'malware:C');
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B', 'malware:C']);
  await cache.settled();
  assert.deepEqual(await leafIds(cache), ['malware:A', 'malware:B', 'malware:C']);
  const s = cache.stats();
  assert.deepEqual([s.loads, s.stale, s.deltaEdges, s.edges], [2, 1, 1, 3], 'C replayed on the new snapshot');
});

test('with inPlace false own writes invalidate like any other', async () => {
  const live = liveSource(0);
  const cache = new AdjacencyCache(live.source, { inPlace: false });
  await cache.neighbours('actor:H');
  await cache.settled();
  live.write(cache, 'malware:A');
  assert.equal((await cache.neighbours('actor:H')).reached, -1);
  assert.equal(cache.stats().applied, 0);
});
