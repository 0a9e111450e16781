import assert from 'node:assert/strict';
import type { OpenAnother, StoresRegistrar } from './conformance-cache.js';
import { referenceNeighbours, sampleAnswersEqual } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import type { GraphStore } from './contract.js';
import { recordThreat } from './threats.js';

type Opened = Awaited<ReturnType<OpenAnother>>;

/**
 * The sample graph on `graph`, and three more stores on it: `mine` with a catch-up cache, loaded;
 * `writer` and `database` without a cache. The caller closes all three.
 */
async function caughtUpStores(graph: GraphStore, open: OpenAnother) {
  await graph.apply(sampleBatch());
  const mine = await open({ adjacency: { catchUp: true } });
  const writer = await open({ adjacency: false });
  const database = await open({ adjacency: false });
  const cache = mine.adjacency;
  assert.ok(cache?.catchUp, 'the store has a change log');
  await mine.neighbours('actor:G0007');
  await cache.settled();
  return { mine, writer, database, cache };
}

/**
 * Conformance cases for the cache's catch-up from the change log (option `catchUp`, ADR 0005
 * amendment 2): after additive writes committed by ANOTHER store (its own connection, as a second
 * replica or a worker would be) the cache answers from its snapshot after one catch-up, not a
 * reload, exactly as the database traversal and the per-edge reference do; deletes, changed
 * confidences and removed edges are refused and reload.
 */
export function catchUpCases(withStores: StoresRegistrar): void {
  withStores('foreign additive writes are caught up from the change log, exactly', async (graph, open) => {
    const { mine, writer, database, cache } = await caughtUpStores(graph, open);
    try {
      const loads = cache.stats().loads;
      let catchUps = cache.stats().catchUps;
      const same = async (what: string, expectCatchUp: boolean) => {
        await sampleAnswersEqual(mine, database, graph, what);
        assert.equal(cache.stats().loads, loads, `${what}: no reload`);
        const now = cache.stats().catchUps;
        assert.equal(now, catchUps + (expectCatchUp ? 1 : 0), `${what}: catch-ups`);
        catchUps = now;
      };
      await same('loaded', false);
      // An actor sorting before every loaded one with edges tying (0.9) loaded ones, and an edge
      // beside a loaded one (same ends and type, another source, first by key).
      await writer.apply({
        nodes: [{ id: 'actor:A0', type: 'Actor', name: 'Zeroth', source: 'writer' }],
        edges: [
          { src: 'actor:A0', type: 'USES', dst: 'technique:T1566', source: 'writer', confidence: 0.9 },
          { src: 'actor:A0', type: 'USES', dst: 'technique:T1059', source: 'writer', confidence: 0.9 },
          { src: 'actor:G0007', type: 'USES', dst: 'technique:T1105', source: 'alpha', confidence: 0.5 },
        ],
      });
      await same('an actor and edges added by another store', true);
      const t1105 = (await mine.neighbours('actor:G0007')).neighbours.find(
        (n) => n.node.id === 'technique:T1105',
      );
      assert.equal(t1105?.via.source, 'alpha', 'the caught-up edge is first by key');
      // Several writes between two queries: one catch-up over all of them.
      for (const [i, technique] of ['T1566', 'T1059', 'T1566'].entries())
        await recordThreat(writer, {
          predictionId: `w${i}`,
          title: `Threat ${i}`,
          indicators: [
            { type: 'domain', value: 'shared.example.com' },
            { type: 'ipv4', value: `198.51.100.${i + 1}` },
          ],
          techniques: [{ id: technique, score: 0.9 }],
        });
      await same('threats recorded by another store', true);
      assert.ok((await mine.neighbours('technique:T1566')).neighbours.some((n) => n.node.type === 'Threat'));
      // A changed row of a loaded node (held in the row cache): read again.
      await mine.neighbours('actor:A0');
      await writer.apply({
        nodes: [
          { id: 'technique:T1566', type: 'Technique', name: 'x', props: { note: 'new' }, source: 'writer' },
        ],
        edges: [],
      });
      await same('a node row changed by another store', true);
      const row = (await mine.neighbours('actor:A0')).neighbours.find((n) => n.node.id === 'technique:T1566');
      assert.equal(row?.node.props.note, 'new');
      // Edge props only: no structure to change, the generation may move (nothing in the log).
      await writer.apply({
        nodes: [],
        edges: [
          {
            src: 'actor:A0',
            type: 'USES',
            dst: 'technique:T1566',
            source: 'writer',
            confidence: 0.9,
            props: { n: 1 },
          },
        ],
      });
      await sampleAnswersEqual(mine, database, graph, 'edge props changed');
      assert.equal(cache.stats().loads, loads, 'edge props: no reload');
      catchUps = cache.stats().catchUps;
      // This store's own write, with the others': no reload either (in place or from the log).
      const applied = cache.stats().applied;
      await mine.apply({
        nodes: [{ id: 'malware:M7', type: 'Malware', name: 'Seven', source: 'mine' }],
        edges: [{ src: 'actor:A3', type: 'USES', dst: 'malware:M7', source: 'mine', confidence: 0.9 }],
      });
      await sampleAnswersEqual(mine, database, graph, 'own write');
      assert.equal(cache.stats().loads, loads, 'own write: no reload');
      assert.equal(cache.stats().applied + cache.stats().catchUps, applied + catchUps + 1);
      assert.equal(cache.stats().catchUpsRefused, 0);
      assert.equal(cache.stats().deltaNodes, 1 + 3 + 4 + 1);
    } finally {
      for (const store of [mine, writer, database]) await store.close();
    }
  });

  withStores('foreign deletes and changed confidences are refused and reload', async (graph, open) => {
    const { mine, writer, database, cache } = await caughtUpStores(graph, open);
    try {
      const edge = { src: 'actor:A3', type: 'USES', dst: 'technique:T1566', source: 'writer' } as const;
      const refused = async (what: string, write: () => Promise<unknown>) => {
        const before = cache.stats();
        await write();
        // The first answer from the database (a reload starts), the next from the reloaded snapshot.
        await sampleAnswersEqual(mine, database, graph, what);
        await cache.settled();
        const after = cache.stats();
        assert.equal(after.catchUpsRefused, before.catchUpsRefused + 1, `${what}: refused`);
        assert.equal(after.loads, before.loads + 1, `${what}: reloaded`);
        assert.equal(after.catchUps, before.catchUps, `${what}: not caught up`);
        await sampleAnswersEqual(mine, database, graph, `${what}, reloaded`);
        assert.equal(cache.stats().stale, after.stale, `${what}: from the reloaded snapshot`);
      };
      await writer.apply({ nodes: [], edges: [{ ...edge, confidence: 0.4 }] });
      await sampleAnswersEqual(mine, database, graph, 'added');
      assert.equal(cache.stats().catchUps, 1);
      await refused('a confidence changed', () =>
        writer.apply({ nodes: [], edges: [{ ...edge, confidence: 0.95 }] }),
      );
      await refused('edges removed', () =>
        writer.apply(
          { nodes: [{ id: 'actor:A3', type: 'Actor', name: 'Third Group', source: 'test' }], edges: [] },
          { replaceEdgesFrom: [{ src: 'actor:A3', source: 'writer' }] },
        ),
      );
      await refused('a node deleted', async () => assert.equal(await writer.deleteNodes(['malware:M1']), 1));
      // An addition after a refusal is caught up again.
      await writer.apply({ nodes: [], edges: [{ ...edge, confidence: 0.3 }] });
      const catchUps = cache.stats().catchUps;
      await sampleAnswersEqual(mine, database, graph, 'added after reloads');
      assert.equal(cache.stats().catchUps, catchUps + 1);
    } finally {
      for (const store of [mine, writer, database]) await store.close();
    }
  });
  withStores('caught-up edges respect maxEdges and are compacted past maxDeltaEdges', async (graph, open) => {
    await graph.apply(sampleBatch());
    const edges = (await graph.stats()).edges;
    const writer = await open({ adjacency: false });
    const bounded = await open({ adjacency: { maxEdges: edges + 1 } });
    const start = 'technique:T1566';
    const loaded = async (store: Opened) => {
      await store.neighbours(start);
      await store.adjacency?.settled();
      await store.neighbours(start);
    };
    const added = (i: number) => ({
      nodes: [{ id: `actor:N${i}`, type: 'Actor' as const, name: `N${i}`, source: 'writer' }],
      edges: [{ src: `actor:N${i}`, type: 'USES' as const, dst: start, source: 'writer', confidence: 0.8 }],
    });
    const exact = async (store: Opened, what: string) =>
      assert.deepEqual(
        await store.neighbours(start, { depth: 2 }),
        await referenceNeighbours(graph, start, { depth: 2 }),
        what,
      );
    try {
      await loaded(bounded);
      await writer.apply(added(1));
      await exact(bounded, 'one edge more fits');
      assert.equal(bounded.adjacency?.stats().catchUps, 1);
      await writer.apply(added(2));
      await exact(bounded, 'the next does not');
      assert.equal(bounded.adjacency?.stats().catchUpsRefused, 1);
      await bounded.adjacency?.settled();
      await exact(bounded, 'over maxEdges: from the database');
      assert.equal(bounded.adjacency?.stats().edges, 0, 'over maxEdges: no snapshot');
      const compacting = await open({ adjacency: { maxDeltaEdges: 2 } });
      try {
        const c = compacting.adjacency;
        assert.ok(c);
        await loaded(compacting);
        const loads = c.stats().loads;
        for (const i of [3, 4]) {
          await writer.apply(added(i));
          await exact(compacting, `added ${i}`);
        }
        assert.equal(c.stats().compactions, 0);
        await writer.apply(added(5));
        await exact(compacting, 'past maxDeltaEdges: still from the snapshot');
        assert.equal(c.stats().catchUps, 3);
        assert.equal(c.stats().compactions, 1);
        await c.settled();
        assert.equal(c.stats().loads, loads + 1);
        assert.equal(c.stats().deltaEdges, 0, 'compacted into the new snapshot');
        await exact(compacting, 'compacted');
        assert.equal(c.stats().stale, 1, 'only the very first query found the cache stale');
      } finally {
        await compacting.close();
      }
    } finally {
      await writer.close();
      await bounded.close();
    }
  });
}
