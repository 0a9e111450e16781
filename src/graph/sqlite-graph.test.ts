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
