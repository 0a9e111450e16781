import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../core/index.js';
import { type AddedEdge, type AddedNode, AdjacencyDelta } from './adjacency-delta.js';
import { AdjacencyBuilder } from './adjacency-snapshot.js';
import { TraversalScratch } from './adjacency-traverse.js';
import type { NeighbourOptions } from './contract.js';
import type { EdgeType, NodeType } from './schema.js';
import { neighbourQuery } from './traversal.js';

const NODE_TYPES: NodeType[] = ['Actor', 'Technique', 'Malware', 'Threat', 'Indicator'];
const EDGE_TYPES: EdgeType[] = ['USES', 'RELATED_TO', 'CONTAINS', 'TARGETS'];
const SOURCES = ['a', 'b', 'prediction'];
// Few values, so ties between edges reaching one node are common.
const CONFIDENCES = [0.5, 0.9, 0.9, 1];

/** A random graph: the first `base` nodes and edges loaded, the rest added in `rounds` writes. */
function randomGraph(seed: number, nodes: number, edges: number) {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  // Ids in a shuffled order, so added nodes sort anywhere among the loaded ones.
  const all: AddedNode[] = Array.from({ length: nodes }, (_, i) => ({
    id: `n:${String(Math.floor(r() * 1e6)).padStart(6, '0')}-${i}`,
    type: pick(NODE_TYPES),
  }));
  const keys = new Set<string>();
  const list: AddedEdge[] = [];
  while (list.length < edges) {
    const s = pick(all);
    const d = pick(all);
    if (s === d) continue;
    const e: AddedEdge = {
      src: s.id,
      srcType: s.type,
      type: pick(EDGE_TYPES),
      dst: d.id,
      dstType: d.type,
      source: pick(SOURCES),
      confidence: pick(CONFIDENCES),
    };
    const key = `${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`;
    if (keys.has(key)) continue;
    keys.add(key);
    list.push(e);
  }
  return { nodes: all, edges: list, r, pick };
}

function build(nodes: readonly AddedNode[], edges: readonly AddedEdge[]): AdjacencyDelta {
  const b = new AdjacencyBuilder();
  for (const n of nodes) b.node(n.id, n.type);
  for (const e of edges) b.edge(e.src, e.type, e.dst, e.source, e.confidence);
  return new AdjacencyDelta(b.build());
}

/** The answer with node and edge numbers replaced by ids and edge refs, comparable across graphs. */
function answer(g: AdjacencyDelta, start: string, o: NeighbourOptions) {
  const u = g.indexOf(start);
  assert.ok(u !== undefined);
  const found = new TraversalScratch(4).neighbours(g, u, neighbourQuery(o));
  return {
    reached: found.reached,
    truncated: found.truncated,
    chosen: found.chosen.map((c) => [g.idOf(c.node), c.depth, g.edgeRef(c.edge)]),
  };
}

const OPTIONS: NeighbourOptions[] = [
  {},
  { depth: 2 },
  { depth: 3, limit: 5 },
  { depth: 2, direction: 'in' },
  { depth: 2, direction: 'out', edgeTypes: ['USES', 'CONTAINS'] },
  { depth: 2, nodeTypes: ['Threat', 'Actor'], throughTypes: ['Technique', 'Indicator'] },
  { depth: 2, maxVisited: 4 },
  { depth: 4, maxVisited: 30, limit: 10 },
];

test('a snapshot with added nodes and edges answers as a snapshot built from all of them', () => {
  for (const seed of [1, 2, 3]) {
    const { nodes, edges, r } = randomGraph(seed, 60, 240);
    // Loaded: 40 nodes and the edges between them, less a few; the rest arrive in 5 writes.
    const loadedIds = new Set(nodes.slice(0, 40).map((n) => n.id));
    const inBase = edges.filter((e, i) => loadedIds.has(e.src) && loadedIds.has(e.dst) && i % 7 !== 0);
    const rest = edges.filter((e) => !inBase.includes(e));
    const delta = build(nodes.slice(0, 40), inBase);
    const scratch = new TraversalScratch(delta.nodeCount);
    let addedNodes = 40;
    let addedEdges: AddedEdge[] = [];
    for (let round = 0; round < 5; round++) {
      const upTo = 40 + (round + 1) * 4;
      const known = new Set(nodes.slice(0, upTo).map((n) => n.id));
      const edgesNow = rest.filter((e) => known.has(e.src) && known.has(e.dst) && !addedEdges.includes(e));
      assert.equal(delta.add(nodes.slice(addedNodes, upTo), edgesNow), true);
      addedNodes = upTo;
      addedEdges = [...addedEdges, ...edgesNow];
      const rebuilt = build(nodes.slice(0, upTo), [...inBase, ...addedEdges]);
      assert.equal(delta.nodeCount, rebuilt.nodeCount);
      assert.equal(delta.edgeCount, rebuilt.edgeCount);
      for (let q = 0; q < 30; q++) {
        const start = nodes[Math.floor(r() * upTo)]?.id as string;
        for (const o of OPTIONS) {
          const what = `seed ${seed} round ${round} ${start} ${JSON.stringify(o)}`;
          assert.deepEqual(answer(delta, start, o), answer(rebuilt, start, o), what);
        }
      }
      // The same scratch across rounds (it grows with the nodes).
      const u = delta.indexOf(nodes[upTo - 1]?.id as string) as number;
      assert.ok(scratch.neighbours(delta, u, neighbourQuery({ depth: 2 })).reached >= 0);
    }
    assert.ok(delta.addedEdges > 20 && delta.addedNodes === 20);
  }
});

test('add refuses, changing nothing, what it cannot hold exactly', () => {
  const nodes: AddedNode[] = [
    { id: 'actor:A', type: 'Actor' },
    { id: 'technique:T', type: 'Technique' },
  ];
  const uses: AddedEdge = {
    src: 'actor:A',
    srcType: 'Actor',
    type: 'USES',
    dst: 'technique:T',
    dstType: 'Technique',
    source: 's',
    confidence: 0.5,
  };
  const delta = build(nodes, [uses]);
  const threat: AddedNode = { id: 'threat:X', type: 'Threat' };
  const threatUses: AddedEdge = { ...uses, src: 'threat:X', srcType: 'Threat' };
  const refused: [string, AddedNode[], AddedEdge[]][] = [
    ['a loaded edge again', [threat], [threatUses, { ...uses, confidence: 0.9 }]],
    ['a loaded node as new', [{ id: 'actor:A', type: 'Actor' }], []],
    ['a node twice', [threat, threat], []],
    ['an edge twice', [threat], [threatUses, threatUses]],
    ['an unknown end', [], [{ ...uses, dst: 'technique:nope' }]],
    ['a wrong end type', [threat], [{ ...threatUses, srcType: 'Actor' }]],
  ];
  for (const [what, n, e] of refused) {
    assert.equal(delta.add(n, e), false, what);
    assert.deepEqual([delta.nodeCount, delta.edgeCount, delta.indexOf('threat:X')], [2, 1, undefined], what);
  }
  // Another source for the same ends and type is another edge; a new type and a new source.
  assert.equal(delta.add([threat], [threatUses, { ...uses, source: 'r' }]), true);
  assert.equal(delta.add([], [{ ...threatUses, type: 'RELATED_TO', source: 'new' }]), true);
  assert.equal(delta.add([], [threatUses]), false, 'an added edge again');
  assert.deepEqual(delta.edgeRef(3), { ...threatUses, type: 'RELATED_TO', source: 'new' });
  assert.equal(delta.typeOf(delta.indexOf('threat:X') as number), 'Threat');
  assert.deepEqual(delta.edgeTypeMask(['RELATED_TO']), Uint8Array.of(0, 1));
  assert.equal(delta.base.edgeCount, 1, 'the snapshot itself is unchanged');
  assert.equal(delta.base.nodeTypes.length, 2);
});
