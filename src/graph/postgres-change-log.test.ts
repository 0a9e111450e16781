import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { postgresTestSchema } from '../../test/helpers/postgres.js';
import { fixedClock } from '../core/index.js';
import { referenceNeighbours } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import { openPostgresGraph, type PostgresGraph } from './postgres-graph.js';

// The PostgreSQL change log (graph migration 5, ADR 0005 amendment 2) under writers that do not go
// through `apply()` (whose advisory lock serialises them anyway): raw statements on connections of
// their own, as `psql`, an importer or another service would write.

async function withGraph(
  fn: (ctx: {
    graph: PostgresGraph;
    cached: PostgresGraph;
    connect: () => Promise<pg.Client>;
  }) => Promise<void>,
): Promise<void> {
  const { url, schema, drop } = await postgresTestSchema();
  const options = { url, schema, maxConnections: 3, clock: fixedClock(Date.UTC(2026, 0, 1)) };
  const graph = await openPostgresGraph({ ...options, adjacency: false });
  const cached = await openPostgresGraph({ ...options, adjacency: { catchUp: true } });
  const clients: pg.Client[] = [];
  const connect = async () => {
    const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await c.connect();
    clients.push(c);
    return c;
  };
  try {
    await graph.apply(sampleBatch());
    await fn({ graph, cached, connect });
  } finally {
    for (const c of clients) await c.end().catch(() => {});
    await cached.close();
    await graph.close();
    await drop();
  }
}

const NODE = `INSERT INTO graph_nodes (id, type, name, created_at, updated_at) VALUES ($1, 'Actor', $1, 'x', 'x')`;
const EDGE = `INSERT INTO graph_edges (src, src_type, type, dst, dst_type, source, confidence, updated_at)
  VALUES ($1, 'Actor', 'USES', 'technique:T1566', 'Technique', 'raw', $2, 'x')`;

test('a writer takes the generation lock with its first logged statement, so gens follow commit order', async () => {
  await withGraph(async ({ connect }) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await a.query('BEGIN');
    await a.query(NODE, ['actor:first']);
    await b.query('BEGIN');
    let done = false;
    const second = b.query(NODE, ['actor:second']).then(() => {
      done = true;
    });
    await sleep(300);
    assert.equal(done, false, 'the second writer waits for the first to commit');
    await a.query('COMMIT');
    await second;
    await b.query('COMMIT');
    const { rows } = await c.query<{ src: string; gen: string }>(
      `SELECT src, gen FROM graph_changes WHERE src IN ('actor:first', 'actor:second') ORDER BY gen`,
    );
    assert.deepEqual(
      rows.map((r) => r.src),
      ['actor:first', 'actor:second'],
    );
    assert.equal(BigInt(rows[1]?.gen ?? 0) - BigInt(rows[0]?.gen ?? 0), 1n);
  });
});

test('two concurrent writers: every snapshot sees every gen up to n, and the catching-up cache misses no row', async () => {
  await withGraph(async ({ graph, cached, connect }) => {
    const cache = cached.adjacency;
    assert.ok(cache);
    const start = 'technique:T1566';
    await cached.neighbours(start);
    await cache.settled();
    const reader = await connect();
    const [{ n: first } = { n: '0' }] = (await reader.query<{ n: string }>('SELECT n FROM graph_generation'))
      .rows;
    const perWriter = 40;
    let writing = true;
    // Each transaction: a node, a pause (so the other writer queues on the lock), its edge.
    const writer = async (name: string) => {
      const c = await connect();
      for (let i = 0; i < perWriter; i++) {
        const id = `actor:${name}${String(i).padStart(3, '0')}`;
        await c.query('BEGIN');
        await c.query(NODE, [id]);
        await c.query('SELECT pg_sleep($1)', [(i % 4) * 0.002]);
        await c.query(EDGE, [id, 0.5 + (i % 5) / 10]);
        await c.query('COMMIT');
      }
    };
    // Snapshots taken while they write: each statement wrote rows, so no gen in (first, n] may lack them.
    let snapshots = 0;
    const checker = async () => {
      while (writing) {
        await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await reader.query<{ n: string; gens: string; low: string | null }>(
          `SELECT g.n, (SELECT COUNT(DISTINCT gen) FROM graph_changes WHERE gen > $1 AND gen <= g.n) AS gens
           FROM graph_generation g`,
          [first],
        );
        await reader.query('COMMIT');
        const row = rows[0];
        assert.ok(row);
        assert.equal(BigInt(row.gens), BigInt(row.n) - BigInt(first), `a gap below ${row.n}`);
        snapshots++;
      }
    };
    // The cache answers throughout; every answer holds, per writer, a prefix of its commits.
    let answers = 0;
    const querier = async () => {
      while (writing) {
        const got = await cached.neighbours(start);
        for (const w of ['a', 'b']) {
          const ids = got.neighbours
            .map((x) => x.node.id)
            .filter((id) => id.startsWith(`actor:${w}`))
            .sort();
          for (const [i, id] of ids.entries())
            assert.equal(id, `actor:${w}${String(i).padStart(3, '0')}`, 'commit order');
        }
        answers++;
        await sleep(1);
      }
    };
    const running = [checker(), querier()];
    await Promise.all([writer('a'), writer('b')]);
    writing = false;
    await Promise.all(running);
    assert.ok(snapshots > 5 && answers > 5, `${snapshots} snapshots, ${answers} answers`);
    for (const o of [{}, { depth: 2 }, { depth: 2, direction: 'in' as const }]) {
      const got = await cached.neighbours(start, o);
      assert.deepEqual(got, await graph.neighbours(start, o));
      assert.deepEqual(got, await referenceNeighbours(graph, start, o));
    }
    const stats = cache.stats();
    assert.equal(stats.loads, 1, 'caught up, never reloaded');
    assert.equal(stats.catchUpsRefused, 0);
    assert.ok(stats.catchUps > 5, `${stats.catchUps} catch-ups`);
    assert.equal(stats.deltaEdges, 2 * perWriter);
  });
});

test('TRUNCATE and a snapshot older than the pruned horizon reload', async () => {
  await withGraph(async ({ graph, cached, connect }) => {
    const cache = cached.adjacency;
    assert.ok(cache);
    const c = await connect();
    await cached.neighbours('technique:T1566');
    await cache.settled();
    // A snapshot that answered nothing would make the next reload back off.
    await cached.neighbours('technique:T1566');
    // Past the horizon: 1,100 statements (one generation each) by another connection.
    await c.query(`DO $$ BEGIN FOR i IN 1..1100 LOOP
      INSERT INTO graph_nodes (id, type, name, created_at, updated_at) VALUES ('actor:p' || i, 'Actor', 'p', 'x', 'x');
    END LOOP; END $$`);
    const { rows } = await c.query<{ n: string; pruned: string; old: string }>(
      'SELECT n, pruned, (SELECT COUNT(*) FROM graph_changes WHERE gen <= pruned) AS old FROM graph_generation',
    );
    assert.ok(BigInt(rows[0]?.pruned ?? 0) > 0n && BigInt(rows[0]?.pruned ?? 0) < BigInt(rows[0]?.n ?? 0));
    assert.equal(rows[0]?.old, '0', 'rows up to the horizon are deleted');
    const expect = await referenceNeighbours(graph, 'technique:T1566', { depth: 2 });
    assert.deepEqual(await cached.neighbours('technique:T1566', { depth: 2 }), expect);
    await cache.settled();
    assert.equal(cache.stats().catchUpsRefused, 1, 'older than the horizon');
    assert.equal(cache.stats().loads, 2);
    assert.deepEqual(await cached.neighbours('technique:T1566', { depth: 2 }), expect);
    // TRUNCATE by another connection.
    await c.query('TRUNCATE graph_edges');
    const empty = await graph.neighbours('technique:T1566', { depth: 2 });
    assert.equal(empty.neighbours.length, 0);
    assert.deepEqual(await cached.neighbours('technique:T1566', { depth: 2 }), empty);
    await cache.settled();
    assert.equal(cache.stats().catchUpsRefused, 2, 'TRUNCATE is a reset');
    assert.equal(cache.stats().loads, 3);
    assert.deepEqual(await cached.neighbours('technique:T1566', { depth: 2 }), empty);
    assert.equal(cache.stats().catchUps, 0);
  });
});
