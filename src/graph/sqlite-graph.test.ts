import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../core/index.js';
import { graphConformance } from './conformance.js';
import { openSqliteGraph } from './sqlite-graph.js';

graphConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-'));
  const path = join(dir, 'graph.sqlite');
  const clock = fixedClock(Date.UTC(2026, 0, 1));
  const graph = openSqliteGraph({ path, clock });
  return {
    graph,
    openAnother: async ({ adjacency }) =>
      openSqliteGraph({ path, clock, ...(adjacency === undefined ? {} : { adjacency }) }),
    dispose: async () => {
      await graph.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

test('sqlite graph reopens its file without re-migrating and uses the incoming-edge index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-'));
  try {
    const path = join(dir, 'nested', 'graph.sqlite');
    await openSqliteGraph({ path }).close();
    const again = openSqliteGraph({ path });
    const plan = again.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT src FROM graph_edges WHERE dst IN (SELECT value FROM json_each(\'["a"]\'))',
      )
      .all() as { detail: string }[];
    assert.ok(
      plan.some((p) => p.detail.includes('graph_edges_in')),
      JSON.stringify(plan),
    );
    await again.close();
    assert.throws(
      () =>
        openSqliteGraph({
          path,
          migrations: [
            { version: 1, name: 'graph', sql: 'SELECT 1' },
            { version: 2, name: 'graph 2', sql: 'SELECT 1' },
            { version: 3, name: 'graph 3', sql: 'SELECT 1' },
            { version: 4, name: 'graph 4', sql: 'SELECT 1' },
            { version: 5, name: 'bad', sql: 'CREATE TABLE' },
          ],
        }),
      { code: 'CS_ERR_STORE_MIGRATION' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('replaceEdgesFrom removes only the named source, from edges read with the batch or queried', async () => {
  const graph = openSqliteGraph({ path: ':memory:', clock: fixedClock(Date.UTC(2026, 0, 1)) });
  try {
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
  } finally {
    await graph.close();
  }
});
