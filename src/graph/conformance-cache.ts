import assert from 'node:assert/strict';
import type { AdjacencyCache } from './adjacency-cache.js';
import type { AdjacencyCacheOptions } from './adjacency-cache-types.js';
import { referenceNeighbours } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import type { GraphStore, NeighbourOptions, NeighbourResult } from './contract.js';

/** Opens another store on the same database, with its own connection; it exposes its cache (both backends do). */
export type OpenAnother = (options: {
  adjacency?: AdjacencyCacheOptions | false;
}) => Promise<GraphStore & { readonly adjacency: AdjacencyCache | undefined }>;

/** Registers one conformance case that also gets {@link OpenAnother}. */
export type StoresRegistrar = (
  title: string,
  fn: (graph: GraphStore, openAnother: OpenAnother) => Promise<void>,
) => void;

/**
 * Conformance cases for the in-process adjacency cache behind `neighbours`: its
 * answers equal the database traversal's and the reference's, and a write is
 * seen by the next query whichever store instance (connection) made it.
 */
export function cacheCases(withStores: StoresRegistrar): void {
  withStores(
    'neighbours from the cache equal the database traversal and the reference',
    async (graph, open) => {
      await graph.apply(sampleBatch());
      await graph.apply({
        nodes: [],
        edges: [
          { src: 'actor:A2', type: 'USES', dst: 'technique:T1059', source: 'second', confidence: 0.95 },
          { src: 'actor:A3', type: 'USES', dst: 'technique:T1566', source: 'second', confidence: 0.9 },
        ],
      });
      const cached = await open({});
      const database = await open({ adjacency: false });
      // Over its edge budget, a cache answers from the database.
      const overBudget = await open({ adjacency: { maxEdges: 3 } });
      try {
        for (const store of [cached, overBudget]) await settledAnswer(store, 'actor:G0007', {});
        const options: NeighbourOptions[] = [
          {},
          { depth: 2 },
          { depth: 4, limit: 2 },
          { depth: 2, direction: 'in' },
          { depth: 3, direction: 'out', edgeTypes: ['USES', 'SUBTECHNIQUE_OF'] },
          { depth: 2, nodeTypes: ['Actor'], throughTypes: ['Technique'] },
          { depth: 3, nodeTypes: ['Tactic', 'Campaign'] },
          { depth: 2, maxVisited: 2 },
        ];
        const hits = cached.adjacency?.stats().hits ?? 0;
        const starts = ['actor:G0007', 'technique:T1566', 'tactic:TA0002', 'mitigation:MIT1'];
        for (const start of starts) {
          for (const o of options) {
            const what = `${start} ${JSON.stringify(o)}`;
            const got = await cached.neighbours(start, o);
            assert.deepEqual(got, await database.neighbours(start, o), what);
            assert.deepEqual(got, await overBudget.neighbours(start, o), what);
            assert.deepEqual(got, await referenceNeighbours(graph, start, o), what);
          }
        }
        assert.equal(
          cached.adjacency?.stats().hits,
          hits + starts.length * options.length,
          'all from the snapshot',
        );
        assert.equal(overBudget.adjacency?.stats().hits, 0);
        await assert.rejects(cached.neighbours('actor:nope', { depth: 2 }), { code: 'CS_ERR_NOT_FOUND' });
        await assert.rejects(cached.neighbours('actor:G0007', { limit: 0 }), { code: 'CS_ERR_VALIDATION' });
      } finally {
        for (const store of [cached, database, overBudget]) await store.close();
      }
    },
  );

  withStores('the cache reads the node rows with the structure, within maxNodeChars', async (graph, open) => {
    await graph.apply(sampleBatch());
    const all = await open({});
    const bounded = await open({ adjacency: { maxNodeChars: 600 } });
    try {
      const expected = await graph.neighbours('technique:T1566', { depth: 3 });
      assert.deepEqual(await settledAnswer(all, 'technique:T1566', { depth: 3 }), expected);
      assert.equal(all.adjacency?.stats().nodeRows, 11, 'every row read with the structure');
      assert.equal(all.adjacency?.stats().loads, 1);
      assert.deepEqual(await settledAnswer(bounded, 'technique:T1566', { depth: 3 }), expected);
      const s = bounded.adjacency?.stats();
      assert.ok(s && s.nodeRows > 0 && s.nodeRows < 11 && s.nodeChars <= 600, JSON.stringify(s));
    } finally {
      await all.close();
      await bounded.close();
    }
  });

  withStores(
    'a write by another store instance is seen by the next neighbours query',
    async (graph, open) => {
      await graph.apply(sampleBatch());
      // Catch-up off (option `catchUp: false`): the path this case checks is the reload (and own writes in
      // place); `conformance-catch-up.ts` covers the default.
      const mine = await open({ adjacency: { catchUp: false } });
      const other = await open({ adjacency: { catchUp: false } });
      try {
        // Each read twice: the query right after a write (database) and the one after the reload (snapshot).
        const ids = async (store: Opened) =>
          (await settledAnswer(store, 'actor:A3', { depth: 2 })).neighbours.map((n) => n.node.id).sort();
        const before = await ids(mine);
        assert.ok(!before.includes('malware:M9'));
        assert.deepEqual(await ids(other), before);
        // A new node and edge, written through the other connection.
        await other.apply({
          nodes: [{ id: 'malware:M9', type: 'Malware', name: 'Nine', source: 'other' }],
          edges: [{ src: 'actor:A3', type: 'USES', dst: 'malware:M9', source: 'other', confidence: 0.7 }],
        });
        assert.deepEqual(await ids(mine), [...before, 'malware:M9'].sort());
        // A changed node row (held since the reload) is read again.
        await other.apply({
          nodes: [
            { id: 'malware:M9', type: 'Malware', name: 'Nine', props: { note: 'changed' }, source: 'other' },
          ],
          edges: [],
        });
        const m9 = (await settledAnswer(mine, 'actor:A3', {})).neighbours.find(
          (n) => n.node.id === 'malware:M9',
        );
        assert.equal(m9?.node.props.note, 'changed');
        // A deletion through the other connection, then a write through this one, seen by the other.
        assert.equal(await other.deleteNodes(['malware:M9']), 1);
        assert.deepEqual(await ids(mine), before);
        await mine.apply({
          nodes: [],
          edges: [{ src: 'actor:A3', type: 'USES', dst: 'technique:T1059', source: 'mine', confidence: 0.6 }],
        });
        const again = await settledAnswer(mine, 'actor:A3', {});
        assert.deepEqual(await settledAnswer(other, 'actor:A3', {}), again);
        assert.ok(again.neighbours.some((n) => n.node.id === 'technique:T1059' && n.via.source === 'mine'));
        await assert.rejects(mine.neighbours('malware:M9'), { code: 'CS_ERR_NOT_FOUND' });
        // The last write was this store's own: applied in place, so both its queries hit the snapshot.
        assert.equal(
          mine.adjacency?.stats().hits,
          6,
          'the snapshot answered after each of the 4 reloads and the own write',
        );
        assert.equal(mine.adjacency?.stats().applied, 1);
      } finally {
        await mine.close();
        await other.close();
      }
    },
  );
}

type Opened = Awaited<ReturnType<OpenAnother>>;

/**
 * `neighbours` twice: right away (after a write the database answers and a reload starts) and
 * after the reload; both answers must be equal. Returns the second.
 */
async function settledAnswer(store: Opened, start: string, o: NeighbourOptions): Promise<NeighbourResult> {
  const first = await store.neighbours(start, o);
  await store.adjacency?.settled();
  const second = await store.neighbours(start, o);
  assert.deepEqual(second, first, `${start} ${JSON.stringify(o)} before and after the reload`);
  return second;
}
