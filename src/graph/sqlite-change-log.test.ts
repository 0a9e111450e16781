import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { fixedClock } from '../core/index.js';
import type { AdjacencyCache } from './adjacency-cache.js';
import { referenceNeighbours } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import { openSqliteGraph, type SqliteGraph } from './sqlite-graph.js';

// The SQLite change log (graph migration 4, ADR 0005 amendment 2) with a writer in ANOTHER
// process, writing raw SQL as an importer would, and with the recorder's enclosing transactions.

const run = promisify(execFile);

/** The start node every case queries. */
const start = 'technique:T1566';

/**
 * A graph file with the sample graph, a store on it without a cache (`graph`) and one with a
 * catch-up cache (`cached`), its snapshot loaded by a first query from `start`.
 */
async function withFile(
  fn: (path: string, graph: SqliteGraph, cached: SqliteGraph, cache: AdjacencyCache) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-log-'));
  const path = join(dir, 'graph.sqlite');
  const clock = fixedClock(Date.UTC(2026, 0, 1));
  const graph = openSqliteGraph({ path, clock, adjacency: false });
  const cached = openSqliteGraph({ path, clock, adjacency: { catchUp: true } });
  try {
    await graph.apply(sampleBatch());
    const cache = cached.adjacency;
    assert.ok(cache?.catchUp);
    await cached.neighbours(start);
    await cache.settled();
    await fn(path, graph, cached, cache);
  } finally {
    await cached.close();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A child process that commits `count` transactions (a node and its edge each), `pauseMs` apart (0: one). */
const WRITER = `
const Database = require('better-sqlite3');
const [path, name, count, pauseMs] = process.argv.slice(1);
const db = new Database(path);
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const node = db.prepare("INSERT INTO graph_nodes (id, type, name, created_at, updated_at) VALUES (?, 'Actor', ?, 'x', 'x')");
const edge = db.prepare("INSERT INTO graph_edges (src, src_type, type, dst, dst_type, source, confidence, updated_at) VALUES (?, 'Actor', 'USES', 'technique:T1566', 'Technique', 'child', ?, 'x')");
const write = db.transaction((id, i) => { node.run(id, id); edge.run(id, 0.5 + (i % 5) / 10); });
let i = 0;
const step = () => {
  if (i >= Number(count)) { db.close(); return; }
  write('actor:' + name + String(i).padStart(3, '0'), i);
  i++;
  setTimeout(step, Number(pauseMs));
};
// Pause 0: all in one transaction (a bulk import).
if (Number(pauseMs) === 0) {
  db.transaction(() => { for (; i < Number(count); i++) write('actor:' + name + String(i).padStart(3, '0'), i); })();
  db.close();
} else step();
`;

test('writes committed by another process are caught up, none missed', async () => {
  await withFile(async (path, graph, cached, cache) => {
    const child = run(process.execPath, ['-e', WRITER, path, 'c', '30', '5'], { cwd: process.cwd() });
    let done = false;
    void child.finally(() => {
      done = true;
    });
    let answers = 0;
    while (!done) {
      const ids = (await cached.neighbours(start)).neighbours
        .map((n) => n.node.id)
        .filter((id) => id.startsWith('actor:c'))
        .sort();
      for (const [i, id] of ids.entries()) assert.equal(id, `actor:c${String(i).padStart(3, '0')}`);
      answers++;
      await sleep(2);
    }
    await child;
    for (const o of [{}, { depth: 2 }, { depth: 2, direction: 'in' as const }]) {
      const got = await cached.neighbours(start, o);
      assert.deepEqual(got, await graph.neighbours(start, o));
      assert.deepEqual(got, await referenceNeighbours(graph, start, o));
    }
    const stats = cache.stats();
    assert.ok(answers > 5, `${answers} answers`);
    assert.equal(stats.loads, 1, 'caught up, never reloaded');
    assert.ok(stats.catchUps > 5, `${stats.catchUps} catch-ups`);
    assert.equal(stats.deltaEdges, 30);
  });
});

test('own writes inside an enclosing transaction reach the cache only once committed', async () => {
  await withFile(async (_path, graph, cached, cache) => {
    await cached.neighbours(start);
    const write = (id: string) =>
      cached.apply({
        nodes: [{ id, type: 'Actor', name: id, source: 'mine' }],
        edges: [{ src: id, type: 'USES', dst: start, source: 'mine', confidence: 0.9 }],
      });
    const expectIds = async (what: string) => {
      const got = await cached.neighbours(start);
      assert.deepEqual(got, await referenceNeighbours(graph, start, {}), what);
    };
    cached.db.exec('BEGIN IMMEDIATE');
    await write('actor:rolled');
    cached.db.exec('ROLLBACK');
    await expectIds('after a rollback');
    cached.db.exec('BEGIN IMMEDIATE');
    await write('actor:kept');
    cached.db.exec('COMMIT');
    await expectIds('after a commit');
    assert.ok((await cached.neighbours(start)).neighbours.some((n) => n.node.id === 'actor:kept'));
    assert.ok(!(await cached.neighbours(start)).neighbours.some((n) => n.node.id === 'actor:rolled'));
    assert.equal(cache.stats().loads, 1);
    assert.equal(cache.stats().catchUps, 2);
  });
});

test('a snapshot older than the pruned horizon and a delete reload', async () => {
  await withFile(async (path, graph, cached, cache) => {
    await cached.neighbours(start);
    // 66,000 log rows by another process: past the 65,536 positions kept.
    await run(
      process.execPath,
      ['-e', WRITER.replace('setTimeout(step, Number(pauseMs))', 'step()'), path, 'p', '33000', '0'],
      {
        cwd: process.cwd(),
      },
    );
    const expect = await referenceNeighbours(graph, start, { depth: 2, limit: 50 });
    assert.deepEqual(await cached.neighbours(start, { depth: 2, limit: 50 }), expect);
    await cache.settled();
    assert.equal(cache.stats().catchUpsRefused, 1, 'older than the horizon');
    assert.equal(cache.stats().loads, 2);
    assert.deepEqual(await cached.neighbours(start, { depth: 2, limit: 50 }), expect);
    assert.equal(await graph.deleteNodes(['actor:p000']), 1);
    assert.deepEqual(
      await cached.neighbours(start, { depth: 1, limit: 5 }),
      await referenceNeighbours(graph, start, { depth: 1, limit: 5 }),
    );
    await cache.settled();
    assert.equal(cache.stats().catchUpsRefused, 2, 'a delete is a reset');
    assert.equal(cache.stats().loads, 3);
  });
});
