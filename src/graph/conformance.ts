import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EdgeCursor, GraphStore } from './contract.js';
import { normaliseName } from './normalise.js';
import type { GraphBatch } from './schema.js';

/** Builds a fresh, empty, migrated graph for one test and a function that disposes of it. */
export type GraphFactory = () => Promise<{ graph: GraphStore; dispose: () => Promise<void> }>;

/**
 * A small graph used by the traversal cases:
 *
 *   A1 -USES-> T1059, T1566, T1105, M1      A2 -USES-> T1059, T1566     A3 -USES-> T1105
 *   M1 -USES-> T1059.001 -SUBTECHNIQUE_OF-> T1059 -IN_TACTIC-> TA0002
 *   MIT1 -MITIGATES-> T1566                 C1 -ATTRIBUTED_TO-> A2, C1 -USES-> T1566
 */
export function sampleBatch(): GraphBatch {
  const node = (
    id: string,
    type: GraphBatch['nodes'][number]['type'],
    name: string,
    aliases: string[] = [],
  ) => ({
    id,
    type,
    name,
    aliases,
    source: 'test',
    primary: true,
  });
  const edge = (src: string, type: GraphBatch['edges'][number]['type'], dst: string, confidence = 0.9) => ({
    src,
    type,
    dst,
    source: 'test',
    confidence,
  });
  return {
    nodes: [
      node('actor:G0007', 'Actor', 'APT28', ['Fancy Bear', 'Sofacy']),
      node('actor:A2', 'Actor', 'Second Group'),
      node('actor:A3', 'Actor', 'Third Group'),
      node('technique:T1059', 'Technique', 'Command and Scripting Interpreter'),
      node('technique:T1059.001', 'Technique', 'PowerShell'),
      node('technique:T1566', 'Technique', 'Phishing'),
      node('technique:T1105', 'Technique', 'Ingress Tool Transfer'),
      node('tactic:TA0002', 'Tactic', 'Execution'),
      node('malware:M1', 'Malware', 'X-Agent'),
      node('mitigation:MIT1', 'Mitigation', 'User Training'),
      node('campaign:C1', 'Campaign', 'Operation One'),
    ],
    edges: [
      edge('actor:G0007', 'USES', 'technique:T1059'),
      edge('actor:G0007', 'USES', 'technique:T1566'),
      edge('actor:G0007', 'USES', 'technique:T1105', 0.5),
      edge('actor:G0007', 'USES', 'malware:M1'),
      edge('actor:A2', 'USES', 'technique:T1059'),
      edge('actor:A2', 'USES', 'technique:T1566'),
      edge('actor:A3', 'USES', 'technique:T1105'),
      edge('malware:M1', 'USES', 'technique:T1059.001'),
      edge('technique:T1059.001', 'SUBTECHNIQUE_OF', 'technique:T1059', 1),
      edge('technique:T1059', 'IN_TACTIC', 'tactic:TA0002', 1),
      edge('mitigation:MIT1', 'MITIGATES', 'technique:T1566', 1),
      edge('campaign:C1', 'ATTRIBUTED_TO', 'actor:A2'),
      edge('campaign:C1', 'USES', 'technique:T1566'),
    ],
  };
}

/**
 * The one conformance suite every {@link GraphStore} runs (SQLite and PostgreSQL),
 * so both backends are held to the same behaviour.
 */
export function graphConformance(name: string, factory: GraphFactory): void {
  const withGraph = (title: string, fn: (graph: GraphStore) => Promise<void>) =>
    test(title, async () => {
      const { graph, dispose } = await factory();
      try {
        await fn(graph);
      } finally {
        await dispose();
      }
    });

  describe(`GraphStore conformance: ${name}`, () => {
    withGraph('answers ping; close is idempotent and later calls fail as unavailable', async (graph) => {
      await graph.ping();
      await graph.close();
      await graph.close();
      await assert.rejects(graph.ping(), { code: 'CS_ERR_STORE_UNAVAILABLE' });
    });

    withGraph('apply creates nodes, aliases and edges, and is idempotent', async (graph) => {
      const first = await graph.apply(sampleBatch());
      assert.equal(first.nodesCreated, 11);
      assert.equal(first.edgesWritten, 13);
      assert.ok(first.aliasesAdded >= 13);
      const again = await graph.apply(sampleBatch());
      assert.deepEqual(again, {
        nodesCreated: 0,
        nodesUpdated: 0,
        edgesWritten: 0,
        edgesRemoved: 0,
        aliasesAdded: 0,
      });
      const [b, a] = await graph.getNodes(['malware:M1', 'actor:G0007', 'actor:missing']);
      assert.equal(a?.name, 'APT28');
      assert.equal(b?.type, 'Malware');
      assert.deepEqual(a?.sources, ['test']);
      const stats = await graph.stats();
      assert.equal(stats.nodes, 11);
      assert.equal(stats.edges, 13);
      assert.equal(stats.nodesByType.Technique, 4);
      assert.equal(stats.edgesByType.USES, 9);
      assert.equal(stats.edgesBySource.test, 13);
      assert.equal(await graph.countNodes('Actor'), 3);
    });

    withGraph('merging keeps the primary name, unions sources and merges props', async (graph) => {
      await graph.apply({
        nodes: [
          {
            id: 'actor:G0007',
            type: 'Actor',
            name: 'Sofacy',
            props: { country: 'RU' },
            source: 'misp-galaxy',
          },
        ],
        edges: [],
      });
      const r = await graph.apply({
        nodes: [
          {
            id: 'actor:G0007',
            type: 'Actor',
            name: 'APT28',
            primary: true,
            props: { attackId: 'G0007' },
            source: 'attack',
          },
          {
            id: 'actor:G0007',
            type: 'Actor',
            name: 'Fancy Bear',
            props: { country: 'RU' },
            source: 'misp-galaxy',
          },
        ],
        edges: [],
      });
      assert.equal(r.nodesUpdated, 1);
      const node = await graph.getNode('actor:G0007');
      assert.equal(node?.name, 'APT28');
      assert.deepEqual(node?.props, { country: 'RU', attackId: 'G0007' });
      assert.deepEqual(node?.sources, ['attack', 'misp-galaxy']);
      const hits = await graph.lookupAliases([normaliseName('fancy  bear'), normaliseName('sofacy')]);
      assert.deepEqual(
        hits.map((h) => [h.value, h.nodeId, h.kind]),
        [
          ['Fancy Bear', 'actor:G0007', 'name'],
          ['Sofacy', 'actor:G0007', 'name'],
        ],
      );
    });

    withGraph('an invalid batch is refused whole and changes nothing', async (graph) => {
      await graph.apply(sampleBatch());
      const before = await graph.stats();
      const bad: GraphBatch[] = [
        { nodes: [{ id: 'actor:A2', type: 'Technique', name: 'x', source: 't' }], edges: [] },
        {
          nodes: [{ id: 'actor:new', type: 'Actor', name: 'New', source: 't' }],
          edges: [{ src: 'actor:new', type: 'USES', dst: 'technique:nope', source: 't', confidence: 1 }],
        },
        {
          nodes: [{ id: 'actor:new', type: 'Actor', name: 'New', source: 't' }],
          edges: [
            { src: 'actor:new', type: 'MITIGATES', dst: 'technique:T1566', source: 't', confidence: 1 },
          ],
        },
        {
          nodes: [{ id: 'actor:new', type: 'Actor', name: 'New', source: 't' }],
          edges: [{ src: 'actor:new', type: 'USES', dst: 'technique:T1566', source: 't', confidence: 1.5 }],
        },
        { nodes: [{ id: '', type: 'Actor', name: 'x', source: 't' }], edges: [] },
        { nodes: [{ id: 'actor:x', type: 'Actor', name: '   ', source: 't' }], edges: [] },
      ];
      for (const batch of bad) await assert.rejects(graph.apply(batch), { code: 'CS_ERR_VALIDATION' });
      assert.deepEqual(await graph.stats(), before);
    });

    withGraph('aliases are looked up by normalised form and filtered by type and kind', async (graph) => {
      await graph.apply({
        nodes: [
          {
            id: 'actor:G0007',
            type: 'Actor',
            name: 'APT28',
            aliases: ['Fancy Bear'],
            xids: ['attack:G0007'],
            source: 'attack',
          },
          { id: 'malware:S0001', type: 'Malware', name: 'Fancy Bear', source: 'test' },
        ],
        edges: [],
      });
      const all = await graph.lookupAliases(['fancybear']);
      assert.deepEqual(all.map((a) => a.nodeId).sort(), ['actor:G0007', 'malware:S0001']);
      const actors = await graph.lookupAliases(['fancybear'], { types: ['Actor'] });
      assert.deepEqual(
        actors.map((a) => [a.nodeId, a.kind]),
        [['actor:G0007', 'alias']],
      );
      assert.deepEqual(
        (await graph.lookupAliases(['attack:g0007'], { kinds: ['xid'] })).map((a) => a.value),
        ['attack:G0007'],
      );
      assert.deepEqual(
        (await graph.aliasesOf(['actor:G0007', 'actor:none'])).map((a) => `${a.kind}:${a.value}`),
        ['alias:Fancy Bear', 'name:APT28', 'xid:attack:G0007'],
      );
      const entries = await graph.aliasEntries({ types: ['Actor'], kinds: ['name', 'alias'] });
      assert.deepEqual(
        entries.map((a) => a.norm),
        ['apt28', 'fancybear'],
      );
      const revision = await graph.getMeta('alias.revision');
      await graph.apply({
        nodes: [{ id: 'actor:G0007', type: 'Actor', name: 'APT28', aliases: ['Sednit'], source: 'x' }],
        edges: [],
      });
      assert.equal(Number(await graph.getMeta('alias.revision')), Number(revision) + 1);
    });

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

    withGraph('replaceEdgesFrom drops the stale edges of a source, deleteNodes cascades', async (graph) => {
      await graph.apply(sampleBatch());
      const r = await graph.apply(
        {
          nodes: [],
          edges: [{ src: 'actor:A2', type: 'USES', dst: 'technique:T1059', source: 'test', confidence: 0.9 }],
        },
        { replaceEdgesFrom: [{ src: 'actor:A2', source: 'test' }] },
      );
      assert.equal(r.edgesRemoved, 1);
      assert.equal(r.edgesWritten, 0);
      assert.deepEqual(
        (await graph.edges({ nodeIds: ['actor:A2'], direction: 'out' })).map((e) => e.dst),
        ['technique:T1059'],
      );
      assert.equal(await graph.deleteNodes(['actor:G0007', 'actor:none']), 1);
      assert.equal(await graph.getNode('actor:G0007'), undefined);
      assert.deepEqual(await graph.lookupAliases(['fancybear']), []);
      assert.equal((await graph.edges({ nodeIds: ['technique:T1566'], direction: 'in' })).length, 2);
    });

    withGraph('scans page through every node and edge in key order', async (graph) => {
      await graph.apply(sampleBatch());
      const nodes: string[] = [];
      for (
        let page = await graph.scanNodes(undefined, 3);
        page.length > 0;
        page = await graph.scanNodes(nodes.at(-1), 3)
      ) {
        nodes.push(...page.map((n) => n.id));
      }
      assert.equal(nodes.length, 11);
      assert.deepEqual(nodes, [...nodes].sort());
      const edges: string[] = [];
      let cursor: EdgeCursor | undefined;
      for (;;) {
        const page = await graph.scanEdges(cursor, 4);
        if (page.length === 0) break;
        edges.push(...page.map((e) => `${e.src}|${e.type}|${e.dst}`));
        cursor = page.at(-1);
      }
      assert.equal(edges.length, 13);
      assert.equal(new Set(edges).size, 13);
      const filtered = await graph.scanEdges(undefined, 100, {
        types: ['USES'],
        srcTypes: ['Actor'],
        dstTypes: ['Technique'],
      });
      assert.deepEqual(
        filtered.map((e) => `${e.src}>${e.dst}`),
        [
          'actor:A2>technique:T1059',
          'actor:A2>technique:T1566',
          'actor:A3>technique:T1105',
          'actor:G0007>technique:T1059',
          'actor:G0007>technique:T1105',
          'actor:G0007>technique:T1566',
        ],
      );
      const after = await graph.scanEdges(filtered[2], 2, {
        types: ['USES'],
        srcTypes: ['Actor'],
        dstTypes: ['Technique'],
      });
      assert.deepEqual(
        after.map((e) => e.dst),
        ['technique:T1059', 'technique:T1105'],
      );
    });

    withGraph('meta and pattern tables store and replace runs', async (graph) => {
      assert.equal(await graph.getMeta('k'), undefined);
      await graph.setMeta('k', 'v1');
      await graph.setMeta('k', 'v2');
      assert.equal(await graph.getMeta('k'), 'v2');
      assert.equal(await graph.patternInfo(), undefined);
      const run = {
        minedAt: '2026-01-01T00:00:00.000Z',
        transactions: 10,
        params: { minSupport: 0.2 },
        itemsets: [
          { items: ['T1059'], count: 8, support: 0.8 },
          { items: ['T1059', 'T1105'], count: 5, support: 0.5 },
          { items: ['T1105'], count: 6, support: 0.6 },
        ],
        rules: [
          {
            antecedent: ['T1105'],
            consequent: 'T1059',
            count: 5,
            support: 0.5,
            confidence: 5 / 6,
            lift: 5 / 6 / 0.8,
          },
          {
            antecedent: ['T1059'],
            consequent: 'T1105',
            count: 5,
            support: 0.5,
            confidence: 5 / 8,
            lift: 5 / 8 / 0.6,
          },
        ],
      };
      await graph.savePatterns(run);
      await graph.savePatterns(run);
      assert.deepEqual(await graph.patternInfo(), {
        minedAt: run.minedAt,
        transactions: 10,
        params: { minSupport: 0.2 },
        itemsets: 3,
        rules: 2,
      });
      const rules = await graph.rulesByAntecedent(['T1105', 'T9999']);
      assert.equal(rules.length, 1);
      assert.deepEqual(rules[0]?.antecedent, ['T1105']);
      assert.ok(Math.abs((rules[0]?.confidence ?? 0) - 5 / 6) < 1e-12);
      assert.deepEqual(
        (await graph.itemsets({ containing: 'T1105' })).map((s) => s.items.join('+')),
        ['T1105', 'T1059+T1105'],
      );
      assert.deepEqual(
        (await graph.itemsets({ minSize: 2 })).map((s) => s.count),
        [5],
      );
    });
  });
}
