import assert from 'node:assert/strict';
import type { StoresRegistrar } from './conformance-cache.js';
import { referenceNeighbours, sampleAnswersEqual } from './conformance-reach.js';
import { SAMPLE_QUERIES as OPTIONS, sampleBatch } from './conformance-sample.js';
import { recordThreat } from './threats.js';

/**
 * Conformance cases for the writer's own `apply()` kept in the adjacency cache in
 * place: after each additive write the cache answers from its snapshot (no
 * reload) exactly as the database traversal and the reference do, ties between
 * added and loaded edges and nodes included; everything else still invalidates.
 */
export function ownWriteCases(withStores: StoresRegistrar): void {
  withStores('own additive writes keep the cache warm and exact', async (graph, open) => {
    await graph.apply(sampleBatch());
    // Catch-up off (option `catchUp: false`): the path this case checks is the reload (and own writes in
    // place); `conformance-catch-up.ts` covers the default.
    const mine = await open({ adjacency: { catchUp: false } });
    const database = await open({ adjacency: false });
    try {
      const cache = mine.adjacency;
      assert.ok(cache);
      await mine.neighbours('actor:G0007');
      await cache.settled();
      const loads = cache.stats().loads;
      const same = async (what: string) => {
        const stale = cache.stats().stale;
        await sampleAnswersEqual(mine, database, graph, what);
        assert.equal(cache.stats().stale, stale, `${what}: every answer from the snapshot`);
        assert.equal(cache.stats().loads, loads, `${what}: no reload`);
      };
      await same('loaded');
      // A node sorting before every loaded actor, whose edges tie (0.9) with loaded ones and come first
      // by key; a new edge beside a loaded one of the same ends and type (another source, first by key).
      await mine.apply({
        nodes: [{ id: 'actor:A0', type: 'Actor', name: 'Zeroth', source: 'mine' }],
        edges: [
          { src: 'actor:A0', type: 'USES', dst: 'technique:T1566', source: 'mine', confidence: 0.9 },
          { src: 'actor:A0', type: 'USES', dst: 'technique:T1059', source: 'mine', confidence: 0.9 },
          { src: 'actor:G0007', type: 'USES', dst: 'technique:T1105', source: 'alpha', confidence: 0.5 },
          { src: 'actor:A3', type: 'USES', dst: 'technique:T1566', source: 'zeta', confidence: 0.9 },
        ],
      });
      await same('an actor and edges added');
      const t1105 = (await mine.neighbours('actor:G0007')).neighbours.find(
        (n) => n.node.id === 'technique:T1105',
      );
      assert.equal(t1105?.via.source, 'alpha', 'the added edge is first by key');
      // Threats as predictions record them (a new node type, new indicators, edges to loaded nodes).
      for (const [i, technique] of ['T1566', 'T1059', 'T1566'].entries())
        await recordThreat(mine, {
          predictionId: `p${i}`,
          title: `Threat ${i}`,
          indicators: [
            { type: 'domain', value: 'shared.example.com' },
            { type: 'ipv4', value: `198.51.100.${i + 1}` },
          ],
          techniques: [{ id: technique, score: 0.9 }],
        });
      await same('threats recorded');
      assert.ok((await mine.neighbours('technique:T1566')).neighbours.some((n) => n.node.type === 'Threat'));
      // A changed row of a loaded node: read again, still no reload.
      await mine.apply({
        nodes: [
          { id: 'technique:T1566', type: 'Technique', name: 'x', props: { note: 'new' }, source: 'mine' },
        ],
        edges: [],
      });
      await same('a node row changed');
      const row = (await mine.neighbours('actor:A0')).neighbours.find((n) => n.node.id === 'technique:T1566');
      assert.equal(row?.node.props.note, 'new');
      assert.ok(row?.node.sources.includes('mine'));
      // Edge props only: the structure is unchanged.
      await mine.apply({
        nodes: [],
        edges: [
          {
            src: 'actor:A0',
            type: 'USES',
            dst: 'technique:T1566',
            source: 'mine',
            confidence: 0.9,
            props: { n: 1 },
          },
        ],
      });
      await same('edge props changed');
      assert.equal(cache.stats().applied, 6);
      assert.equal(cache.stats().deltaEdges, 4 + 3 * 3, 'per threat: two indicators and a technique');
      assert.equal(cache.stats().deltaNodes, 1 + 3 + 4);
    } finally {
      await mine.close();
      await database.close();
    }
  });

  withStores('other writes still invalidate the cache, own or not', async (graph, open) => {
    await graph.apply(sampleBatch());
    // Catch-up off (option `catchUp: false`): the path this case checks is the reload (and own writes in
    // place); `conformance-catch-up.ts` covers the default.
    const mine = await open({ adjacency: { catchUp: false } });
    const other = await open({ adjacency: false });
    const off = await open({ adjacency: { inPlace: false, catchUp: false } });
    try {
      const cache = mine.adjacency;
      assert.ok(cache);
      const check = async (what: string, stale: boolean) => {
        const before = cache.stats().stale;
        for (const o of OPTIONS) {
          const got = await mine.neighbours('technique:T1566', o);
          await cache.settled();
          assert.deepEqual(
            got,
            await referenceNeighbours(graph, 'technique:T1566', o),
            `${what} ${JSON.stringify(o)}`,
          );
        }
        assert.equal(cache.stats().stale > before, stale, `${what}: stale`);
      };
      await check('first', true);
      await check('warm', false);
      const edge = { src: 'actor:A3', type: 'USES', dst: 'technique:T1566', source: 'mine' } as const;
      await mine.apply({ nodes: [], edges: [{ ...edge, confidence: 0.4 }] });
      await check('own edge added', false);
      await mine.apply({ nodes: [], edges: [{ ...edge, confidence: 0.95 }] });
      await check('own edge confidence changed', true);
      await mine.apply({ nodes: [], edges: [{ ...edge, confidence: 0.3 }] }, {});
      await check('again changed', true);
      await mine.apply(
        { nodes: [{ id: 'actor:A3', type: 'Actor', name: 'Third Group', source: 'test' }], edges: [] },
        { replaceEdgesFrom: [{ src: 'actor:A3', source: 'mine' }] },
      );
      await check('own edges removed', true);
      await other.apply({
        nodes: [{ id: 'actor:A9', type: 'Actor', name: 'Nine', source: 'other' }],
        edges: [{ src: 'actor:A9', type: 'USES', dst: 'technique:T1566', source: 'other', confidence: 0.9 }],
      });
      await check('written by another connection', true);
      assert.equal(await mine.deleteNodes(['actor:A9']), 1);
      await check('own delete', true);
      // With in-place updates off, an own additive write invalidates as any other.
      const offCache = off.adjacency;
      assert.ok(offCache);
      await off.neighbours('technique:T1566');
      await offCache.settled();
      const offLoads = offCache.stats().loads;
      await off.apply({ nodes: [], edges: [{ ...edge, source: 'off', confidence: 0.2 }] });
      assert.deepEqual(
        await off.neighbours('technique:T1566', { depth: 2 }),
        await referenceNeighbours(graph, 'technique:T1566', { depth: 2 }),
      );
      await offCache.settled();
      assert.equal(offCache.stats().loads, offLoads + 1);
      assert.equal(offCache.stats().applied, 0);
    } finally {
      for (const store of [mine, other, off]) await store.close();
    }
  });

  withStores(
    'edges added in place respect maxEdges and are compacted past maxDeltaEdges',
    async (graph, open) => {
      await graph.apply(sampleBatch());
      const edges = (await graph.stats()).edges;
      // Catch-up off (option `catchUp: false`): the path this case checks is the reload (and own writes in
      // place); `conformance-catch-up.ts` covers the default.
      const bounded = await open({ adjacency: { maxEdges: edges + 1, catchUp: false } });
      const compacting = await open({ adjacency: { maxDeltaEdges: 2, catchUp: false } });
      try {
        await bounded.neighbours('technique:T1566');
        await bounded.adjacency?.settled();
        const added = (i: number) => ({
          nodes: [{ id: `actor:N${i}`, type: 'Actor' as const, name: `N${i}`, source: 'mine' }],
          edges: [
            {
              src: `actor:N${i}`,
              type: 'USES' as const,
              dst: 'technique:T1566',
              source: 'mine',
              confidence: 0.8,
            },
          ],
        });
        await bounded.apply(added(1));
        assert.equal(bounded.adjacency?.stats().applied, 1, 'one edge more fits');
        await bounded.apply(added(2));
        assert.equal(bounded.adjacency?.stats().notApplied, 1, 'the next does not');
        const expect = await referenceNeighbours(graph, 'technique:T1566', { depth: 2 });
        assert.deepEqual(await bounded.neighbours('technique:T1566', { depth: 2 }), expect);
        await bounded.adjacency?.settled();
        assert.deepEqual(await bounded.neighbours('technique:T1566', { depth: 2 }), expect);
        assert.equal(bounded.adjacency?.stats().edges, 0, 'over maxEdges: no snapshot');
        // Loaded after the writes above (which were another connection's, for this store).
        const c = compacting.adjacency;
        assert.ok(c);
        await compacting.neighbours('technique:T1566');
        await c.settled();
        const loads = c.stats().loads;
        for (const i of [3, 4]) await compacting.apply(added(i));
        assert.equal(c.stats().compactions, 0);
        await compacting.apply(added(5));
        assert.equal(c.stats().compactions, 1);
        const during = await compacting.neighbours('technique:T1566', { depth: 2 });
        await c.settled();
        assert.equal(c.stats().loads, loads + 1);
        assert.equal(c.stats().deltaEdges, 0, 'compacted into the new snapshot');
        const after = await compacting.neighbours('technique:T1566', { depth: 2 });
        assert.deepEqual(during, after);
        assert.deepEqual(after, await referenceNeighbours(graph, 'technique:T1566', { depth: 2 }));
        assert.equal(c.stats().stale, 1, 'only the very first query found the cache stale');
      } finally {
        await bounded.close();
        await compacting.close();
      }
    },
  );
}
