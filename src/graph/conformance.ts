import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheCases, type OpenAnother, type StoresRegistrar } from './conformance-cache.js';
import { catchUpCases } from './conformance-catch-up.js';
import { ownWriteCases } from './conformance-own-writes.js';
import { reachCases } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import { threatCases } from './conformance-threats.js';
import { traversalCases } from './conformance-traversal.js';
import type { EdgeCursor, GraphStore } from './contract.js';
import { normaliseName } from './normalise.js';
import type { GraphBatch } from './schema.js';

/**
 * Builds a fresh, empty, migrated graph for one test, a function that disposes of it, and one
 * that opens another store on the same database with its own connection (as a second process
 * or API replica would; the caller closes it, before `dispose`).
 */
export type GraphFactory = () => Promise<{
  graph: GraphStore;
  dispose: () => Promise<void>;
  openAnother: OpenAnother;
}>;

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

  const withStores: StoresRegistrar = (title, fn) =>
    test(title, async () => {
      const { graph, dispose, openAnother } = await factory();
      try {
        await fn(graph, openAnother);
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
      await graph.optimize();
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

    traversalCases(withGraph);
    reachCases(withGraph);
    cacheCases(withStores);
    ownWriteCases(withStores);
    catchUpCases(withStores);
    threatCases(withGraph);

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

    withGraph(
      'replaceEdgesFrom removes only the named source, from edges read with the batch or queried',
      async (graph) => {
        const node = (id: string, type: 'Actor' | 'Technique') => ({ id, type, name: id, source: 'test' });
        const uses = (dst: string, source: string) => ({
          src: 'actor:A',
          type: 'USES' as const,
          dst,
          source,
          confidence: 1,
        });
        await graph.apply({
          nodes: [
            node('actor:A', 'Actor'),
            ...['T1001', 'T1002', 'T1003'].map((t) => node(`technique:${t}`, 'Technique')),
          ],
          edges: [uses('technique:T1001', 'x'), uses('technique:T1002', 'x'), uses('technique:T1003', 'y')],
        });
        const out = async () =>
          (await graph.edges({ nodeIds: ['actor:A'], direction: 'out' }))
            .map((e) => `${e.dst}@${e.source}`)
            .sort();
        // The batch writes from actor:A, so its stored edges were read already: only source x's stale one goes.
        const kept = await graph.apply(
          { nodes: [], edges: [uses('technique:T1001', 'x')] },
          { replaceEdgesFrom: [{ src: 'actor:A', source: 'x' }] },
        );
        assert.equal(kept.edgesRemoved, 1);
        assert.deepEqual(await out(), ['technique:T1001@x', 'technique:T1003@y']);
        // Nothing written from actor:A: its edges of source y are queried and all go.
        const none = await graph.apply(
          { nodes: [], edges: [] },
          { replaceEdgesFrom: [{ src: 'actor:A', source: 'y' }] },
        );
        assert.equal(none.edgesRemoved, 1);
        assert.deepEqual(await out(), ['technique:T1001@x']);
      },
    );

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
