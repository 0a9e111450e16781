import assert from 'node:assert/strict';
import { SAMPLE_QUERIES, SAMPLE_STARTS, sampleBatch } from './conformance-sample.js';
import type { CaseRegistrar } from './conformance-traversal.js';
import type { GraphStore, LinkQuery, NeighbourOptions, NeighbourResult, ReachQuery } from './contract.js';
import type { EdgeRef, GraphBatch, NodeType } from './schema.js';

/**
 * Conformance cases for the primitives the traversals are built on (`reach`,
 * `links` with `otherIds`) and a check of `neighbours` against a plain reference:
 * a breadth-first search that reads every edge of a level and keeps, per node,
 * the strongest edge then the first by key. The store's traversal reads fewer
 * rows and must still give exactly this answer.
 */
export function reachCases(withGraph: CaseRegistrar): void {
  withGraph('reach gives the distinct far ends of links, with their strongest confidence', async (graph) => {
    await graph.apply(sampleBatch());
    await graph.apply(extraBatch());
    const queries: ReachQuery[] = [
      { nodeIds: ['technique:T1059', 'technique:T1566'] },
      { nodeIds: ['technique:T1059', 'technique:T1059.001'], exclude: ['technique:T1059'] },
      { nodeIds: ['actor:G0007'], direction: 'out', otherTypes: ['Technique'] },
      { nodeIds: ['technique:T1566', 'technique:T1105'], direction: 'in', edgeTypes: ['USES'] },
      { nodeIds: ['actor:G0007', 'actor:A2'], exclude: ['technique:T1566', 'nobody'] },
    ];
    for (const q of queries) {
      const got = (await graph.reach(q)).sort((a, b) => (a.id < b.id ? -1 : 1));
      assert.deepEqual(got, await reachFromLinks(graph, q), JSON.stringify(q));
    }
    const both = await graph.reach({ nodeIds: ['actor:A2'] });
    // A2 reaches T1059 over two edges (0.9 and 0.95 from the second source): the strongest counts,
    // and with confidences differing no first edge is named; T1566 over one edge names it.
    const t1059 = both.find((r) => r.id === 'technique:T1059');
    assert.equal(t1059?.confidence, 0.95);
    assert.equal(t1059?.firstEdge, undefined);
    assert.equal(
      both.find((r) => r.id === 'technique:T1566')?.firstEdge,
      ['actor:A2', 'USES', 'technique:T1566', 'test'].join('\u0000'),
    );
    assert.deepEqual(await graph.reach({ nodeIds: [] }), []);
  });

  withGraph('links keeps only edges whose other end is listed in otherIds', async (graph) => {
    await graph.apply(sampleBatch());
    const key = (e: EdgeRef) => `${e.src}|${e.type}|${e.dst}|${e.source}`;
    const cases: { q: LinkQuery; other: string[] }[] = [
      { q: { nodeIds: ['actor:G0007'] }, other: ['technique:T1059', 'malware:M1', 'actor:A2'] },
      { q: { nodeIds: ['technique:T1059', 'technique:T1566'] }, other: ['actor:A2', 'tactic:TA0002'] },
      { q: { nodeIds: ['technique:T1566'], direction: 'in' }, other: ['mitigation:MIT1', 'campaign:C1'] },
      // More ids on the far side than the near side, and the reverse: the answer does not depend on which drives.
      { q: { nodeIds: ['technique:T1105', 'technique:T1059', 'technique:T1566'] }, other: ['actor:A3'] },
    ];
    for (const { q, other } of cases) {
      const all = await graph.links(q);
      const near = new Set(q.nodeIds);
      const direction = q.direction ?? 'both';
      const expected = all.filter(
        (e) =>
          (direction !== 'in' && near.has(e.src) && other.includes(e.dst)) ||
          (direction !== 'out' && near.has(e.dst) && other.includes(e.src)),
      );
      const got = await graph.links({ ...q, otherIds: other });
      assert.deepEqual(got.map(key).sort(), expected.map(key).sort(), JSON.stringify(q));
      assert.ok(got.length > 0);
    }
  });

  withGraph('neighbours equal a breadth-first search over every edge', async (graph) => {
    await graph.apply(sampleBatch());
    await graph.apply(extraBatch());
    const options: NeighbourOptions[] = [
      { depth: 1 },
      { depth: 2 },
      { depth: 3 },
      { depth: 2, limit: 3 },
      { depth: 2, direction: 'out' },
      { depth: 3, direction: 'in' },
      { depth: 2, edgeTypes: ['USES'], nodeTypes: ['Actor'] },
      { depth: 3, throughTypes: ['Technique'], nodeTypes: ['Actor', 'Campaign'] },
      { depth: 2, maxVisited: 3 },
    ];
    const starts = ['actor:G0007', 'actor:A2', 'technique:T1059', 'technique:T1566', 'malware:M1'];
    for (const start of starts) {
      for (const o of options) {
        const got = await graph.neighbours(start, o);
        assert.deepEqual(
          summary(got),
          summary(await referenceNeighbours(graph, start, o)),
          `${start} ${JSON.stringify(o)}`,
        );
      }
    }
  });
}

/** Ties and parallel edges: a second source linking A2 and T1059 more strongly, A3 to T1566 as strongly as others. */
function extraBatch(): GraphBatch {
  const edge = (src: string, type: 'USES', dst: string, confidence: number) => ({
    src,
    type,
    dst,
    source: 'second',
    confidence,
  });
  return {
    nodes: [],
    edges: [
      edge('actor:A2', 'USES', 'technique:T1059', 0.95),
      edge('actor:A3', 'USES', 'technique:T1566', 0.9),
      edge('actor:G0007', 'USES', 'technique:T1105', 0.5),
    ],
  };
}

async function reachFromLinks(
  graph: GraphStore,
  q: ReachQuery,
): Promise<{ id: string; type: NodeType; confidence: number; firstEdge?: string }[]> {
  const near = new Set(q.nodeIds);
  const skip = new Set(q.exclude ?? []);
  const direction = q.direction ?? 'both';
  const best = new Map<string, { type: NodeType; confidence: number; lowest: number; key: string }>();
  const add = (id: string, type: NodeType, e: EdgeRef) => {
    if (skip.has(id)) return;
    const key = [e.src, e.type, e.dst, e.source].join('\u0000');
    const before = best.get(id);
    if (!before) best.set(id, { type, confidence: e.confidence, lowest: e.confidence, key });
    else {
      before.confidence = Math.max(before.confidence, e.confidence);
      before.lowest = Math.min(before.lowest, e.confidence);
      if (key < before.key) before.key = key;
    }
  };
  for (const e of await graph.links(q)) {
    if (direction !== 'in' && near.has(e.src) && (!q.otherTypes || q.otherTypes.includes(e.dstType)))
      add(e.dst, e.dstType, e);
    if (direction !== 'out' && near.has(e.dst) && (!q.otherTypes || q.otherTypes.includes(e.srcType)))
      add(e.src, e.srcType, e);
  }
  return [...best]
    .map(([id, v]) =>
      v.confidence === v.lowest
        ? { id, type: v.type, confidence: v.confidence, firstEdge: v.key }
        : { id, type: v.type, confidence: v.confidence },
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function summary(r: NeighbourResult): unknown {
  return {
    reached: r.reached,
    truncated: r.truncated,
    neighbours: r.neighbours.map((n) => [n.node.id, n.depth, n.via.src, n.via.type, n.via.dst, n.via.source]),
  };
}

/**
 * The plain breadth-first search: every edge of a level read into JavaScript, the
 * strongest (then first by key) kept per node; the traversal before `reach()`.
 * The conformance cases compare `neighbours` with it; bench/graph times it as a baseline.
 */
export async function referenceNeighbours(
  graph: GraphStore,
  start: string,
  o: NeighbourOptions,
): Promise<NeighbourResult> {
  const depth = o.depth ?? 1;
  const limit = o.limit ?? 200;
  const maxVisited = o.maxVisited ?? 50_000;
  const direction = o.direction ?? 'both';
  const key = (e: EdgeRef) => [e.src, e.type, e.dst, e.source].join('\u0000');
  const better = (a: EdgeRef, b: EdgeRef) =>
    a.confidence !== b.confidence ? a.confidence > b.confidence : key(a) < key(b);
  const visited = new Map<string, { depth: number; via: EdgeRef; type: NodeType }>();
  const seen = new Set([start]);
  let frontier = [start];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0 && !truncated; d++) {
    const from = new Set(frontier);
    const level = new Map<string, { via: EdgeRef; type: NodeType }>();
    const q: LinkQuery = { nodeIds: frontier, direction };
    if (o.edgeTypes) q.edgeTypes = o.edgeTypes;
    for (const e of await graph.links(q)) {
      const ends: [string, NodeType][] = [];
      if (direction !== 'in' && from.has(e.src)) ends.push([e.dst, e.dstType]);
      if (direction !== 'out' && from.has(e.dst)) ends.push([e.src, e.srcType]);
      for (const [far, type] of ends) {
        if (seen.has(far)) continue;
        // Type filters as the contract states them: only wanted types are returned, only
        // through types (and, before the last hop, wanted ones) are worth reaching.
        if (o.nodeTypes && d === depth && !o.nodeTypes.includes(type)) continue;
        if (o.nodeTypes && o.throughTypes && d < depth && ![...o.nodeTypes, ...o.throughTypes].includes(type))
          continue;
        const before = level.get(far);
        if (!before || better(e, before.via)) level.set(far, { via: e, type });
      }
    }
    let reached = [...level];
    if (visited.size + reached.length > maxVisited) {
      truncated = true;
      reached = reached
        .sort(([ia, a], [ib, b]) => b.via.confidence - a.via.confidence || (ia < ib ? -1 : 1))
        .slice(0, maxVisited - visited.size);
    }
    const next: string[] = [];
    for (const [far, v] of reached) {
      seen.add(far);
      visited.set(far, { depth: d, ...v });
      if (!o.throughTypes || o.throughTypes.includes(v.type)) next.push(far);
    }
    frontier = next.sort();
  }
  const candidates = [...visited]
    .filter(([, v]) => !o.nodeTypes || o.nodeTypes.includes(v.type))
    .sort(
      ([ia, a], [ib, b]) => a.depth - b.depth || b.via.confidence - a.via.confidence || (ia < ib ? -1 : 1),
    );
  if (candidates.length > limit) truncated = true;
  const chosen = candidates.slice(0, limit);
  const nodes = new Map((await graph.getNodes(chosen.map(([id]) => id))).map((n) => [n.id, n]));
  return {
    start,
    reached: visited.size,
    truncated,
    neighbours: chosen.flatMap(([id, v]) => {
      const node = nodes.get(id);
      return node ? [{ node, depth: v.depth, via: v.via }] : [];
    }),
  };
}

/**
 * Every {@link SAMPLE_QUERIES} query from every {@link SAMPLE_STARTS} start on `store` (a cached
 * store under test) equals the same query on `database` (a store without a cache) and
 * {@link referenceNeighbours} on `graph`.
 */
export async function sampleAnswersEqual(
  store: GraphStore,
  database: GraphStore,
  graph: GraphStore,
  what: string,
): Promise<void> {
  for (const start of SAMPLE_STARTS)
    for (const o of SAMPLE_QUERIES) {
      const at = `${what}: ${start} ${JSON.stringify(o)}`;
      const got = await store.neighbours(start, o);
      assert.deepEqual(got, await database.neighbours(start, o), at);
      assert.deepEqual(got, await referenceNeighbours(graph, start, o), at);
    }
}
