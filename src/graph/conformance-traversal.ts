import assert from 'node:assert/strict';
import { sampleBatch } from './conformance-sample.js';
import type { GraphStore } from './contract.js';
import type { EdgeRef } from './schema.js';

/** Registers one conformance case (the suite's `withGraph`). */
export type CaseRegistrar = (title: string, fn: (graph: GraphStore) => Promise<void>) => void;

/** The traversal cases of the conformance suite (edges, neighbours, shared neighbours, shortest path). */
export function traversalCases(withGraph: CaseRegistrar): void {
  withGraph('edges are read by direction, edge type, far-end type and per-node limit', async (graph) => {
    await graph.apply(sampleBatch());
    const out = await graph.edges({ nodeIds: ['actor:G0007'], direction: 'out' });
    assert.equal(out.length, 4);
    const techOnly = await graph.edges({
      nodeIds: ['actor:G0007'],
      direction: 'out',
      otherTypes: ['Technique'],
    });
    assert.deepEqual(techOnly.map((e) => e.dst).sort(), [
      'technique:T1059',
      'technique:T1105',
      'technique:T1566',
    ]);
    const inc = await graph.edges({ nodeIds: ['technique:T1566'], direction: 'in', edgeTypes: ['USES'] });
    assert.deepEqual(inc.map((e) => e.src).sort(), ['actor:A2', 'actor:G0007', 'campaign:C1']);
    const both = await graph.edges({ nodeIds: ['technique:T1059', 'technique:T1059.001'] });
    assert.equal(both.length, 5, 'an edge between two queried nodes is returned once');
    const limited = await graph.edges({
      nodeIds: ['technique:T1566', 'technique:T1059'],
      direction: 'in',
      limitPerNode: 1,
    });
    assert.equal(limited.length, 2);
    assert.deepEqual(await graph.edges({ nodeIds: [] }), []);
    // links() returns the same edges without props and timestamps.
    const lean = (e: EdgeRef) =>
      JSON.stringify([e.src, e.srcType, e.type, e.dst, e.dstType, e.source, e.confidence]);
    for (const q of [
      { nodeIds: ['technique:T1059', 'technique:T1059.001'] },
      { nodeIds: ['actor:G0007'], direction: 'out' as const, otherTypes: ['Technique' as const] },
      { nodeIds: ['technique:T1566'], direction: 'in' as const, edgeTypes: ['USES' as const] },
    ]) {
      assert.deepEqual((await graph.links(q)).map(lean).sort(), (await graph.edges(q)).map(lean).sort());
    }
    assert.deepEqual(await graph.links({ nodeIds: [] }), []);
    const [edge] = await graph.edges({
      nodeIds: ['campaign:C1'],
      direction: 'out',
      edgeTypes: ['ATTRIBUTED_TO'],
    });
    assert.deepEqual(
      { ...edge, updatedAt: undefined },
      {
        src: 'campaign:C1',
        srcType: 'Campaign',
        type: 'ATTRIBUTED_TO',
        dst: 'actor:A2',
        dstType: 'Actor',
        source: 'test',
        confidence: 0.9,
        props: {},
        updatedAt: undefined,
      },
    );
  });

  withGraph('neighbours go to depth k with type filters, nearest and strongest first', async (graph) => {
    await graph.apply(sampleBatch());
    const one = await graph.neighbours('actor:G0007');
    assert.deepEqual(
      one.neighbours.map((n) => [n.node.id, n.depth]),
      [
        ['malware:M1', 1],
        ['technique:T1059', 1],
        ['technique:T1566', 1],
        ['technique:T1105', 1],
      ],
    );
    const actors = await graph.neighbours('actor:G0007', { depth: 2, nodeTypes: ['Actor'] });
    assert.deepEqual(
      actors.neighbours.map((n) => n.node.id),
      ['actor:A2', 'actor:A3'],
    );
    assert.equal(actors.neighbours[0]?.depth, 2);
    const viaTech = await graph.neighbours('actor:G0007', {
      depth: 3,
      edgeTypes: ['USES', 'ATTRIBUTED_TO'],
      nodeTypes: ['Campaign'],
    });
    assert.deepEqual(
      viaTech.neighbours.map((n) => [n.node.id, n.depth]),
      [['campaign:C1', 2]],
    );
    const outOnly = await graph.neighbours('technique:T1059', { direction: 'out', depth: 2 });
    assert.deepEqual(
      outOnly.neighbours.map((n) => n.node.id),
      ['tactic:TA0002'],
    );
    const through = await graph.neighbours('actor:G0007', {
      depth: 2,
      throughTypes: ['Malware'],
      nodeTypes: ['Technique'],
    });
    assert.deepEqual(through.neighbours.map((n) => n.node.id).sort(), [
      'technique:T1059',
      'technique:T1059.001',
      'technique:T1105',
      'technique:T1566',
    ]);
    const limited = await graph.neighbours('actor:G0007', { depth: 2, limit: 2 });
    assert.equal(limited.neighbours.length, 2);
    assert.equal(limited.truncated, true);
    assert.ok(limited.reached > 2);
    await assert.rejects(graph.neighbours('actor:nope'), { code: 'CS_ERR_NOT_FOUND' });
    await assert.rejects(graph.neighbours('actor:G0007', { depth: 9 }), { code: 'CS_ERR_VALIDATION' });
  });

  withGraph('shared neighbours are ranked so that shared rare neighbours weigh more', async (graph) => {
    await graph.apply(sampleBatch());
    const ranked = await graph.sharedNeighbours('actor:G0007', { viaTypes: ['Technique'] });
    assert.deepEqual(
      ranked.map((r) => [r.node.id, r.sharedCount]),
      [
        ['actor:A2', 2],
        ['actor:A3', 1],
      ],
    );
    // A2 shares T1059 (degree 2 among actors) and T1566 (degree 2): 2 / ln 2.
    assert.ok(Math.abs((ranked[0]?.score ?? 0) - 2 / Math.log(2)) < 1e-9);
    assert.deepEqual(ranked[0]?.shared.sort(), ['technique:T1059', 'technique:T1566']);
    const campaigns = await graph.sharedNeighbours('actor:G0007', {
      candidateTypes: ['Campaign'],
      direction: 'out',
    });
    assert.deepEqual(
      campaigns.map((r) => r.node.id),
      ['campaign:C1'],
    );
    assert.deepEqual(await graph.sharedNeighbours('tactic:TA0002', { direction: 'out' }), []);
  });

  withGraph('shortest path finds the fewest edges, honours direction and depth', async (graph) => {
    await graph.apply(sampleBatch());
    const p = await graph.shortestPath('actor:A3', 'mitigation:MIT1');
    assert.ok(p);
    assert.deepEqual(
      p.nodes.map((n) => n.id),
      ['actor:A3', 'technique:T1105', 'actor:G0007', 'technique:T1566', 'mitigation:MIT1'],
    );
    assert.equal(p.edges.length, 4);
    p.edges.forEach((e, i) => {
      const ends = [e.src, e.dst].sort();
      assert.deepEqual(ends, [p.nodes[i]?.id, p.nodes[i + 1]?.id].sort());
    });
    const directed = await graph.shortestPath('malware:M1', 'tactic:TA0002', { direction: 'out' });
    assert.deepEqual(
      directed?.nodes.map((n) => n.id),
      ['malware:M1', 'technique:T1059.001', 'technique:T1059', 'tactic:TA0002'],
    );
    assert.equal(await graph.shortestPath('tactic:TA0002', 'malware:M1', { direction: 'out' }), undefined);
    assert.equal(await graph.shortestPath('actor:A3', 'mitigation:MIT1', { maxDepth: 3 }), undefined);
    assert.deepEqual(
      (await graph.shortestPath('actor:A3', 'actor:A3'))?.nodes.map((n) => n.id),
      ['actor:A3'],
    );
    await assert.rejects(graph.shortestPath('actor:A3', 'actor:none'), { code: 'CS_ERR_NOT_FOUND' });
  });
}
