import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { referenceNeighbours } from './conformance-reach.js';
import { sampleBatch } from './conformance-sample.js';
import { openSqliteGraph, type SqliteGraph } from './sqlite-graph.js';
import { recordThreat } from './threats.js';

const threat = (graph: SqliteGraph, id: string, technique = 'T1566') =>
  recordThreat(graph, {
    predictionId: id,
    title: id,
    indicators: [{ type: 'domain', value: `${id}.example.com` }],
    techniques: [{ id: technique, score: 0.8 }],
  });

test('writes inside a transaction the caller opened reach the cache only once it committed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-'));
  const graph = openSqliteGraph({ path: join(dir, 'graph.sqlite'), adjacency: { catchUp: false } });
  try {
    const cache = graph.adjacency;
    assert.ok(cache);
    await graph.apply(sampleBatch());
    await graph.neighbours('technique:T1566');
    await cache.settled();
    const exact = async (what: string) => {
      for (const o of [{ depth: 2 }, { depth: 2, nodeTypes: ['Indicator' as const] }]) {
        const got = await graph.neighbours('technique:T1566', o);
        assert.deepEqual(got, await referenceNeighbours(graph, 'technique:T1566', o), what);
        await cache.settled();
        assert.deepEqual(await graph.neighbours('technique:T1566', o), got, what);
      }
    };
    const threats = async () =>
      (await graph.neighbours('technique:T1566')).neighbours
        .filter((n) => n.node.type === 'Threat')
        .map((n) => n.node.id);
    // Rolled back: the token stays where the writes put it, so only the check of the rows tells.
    graph.db.exec('BEGIN IMMEDIATE');
    await threat(graph, 'p1');
    graph.db.exec('ROLLBACK');
    await exact('after a rollback');
    assert.deepEqual(await threats(), []);
    assert.equal(cache.stats().applied, 0);
    const loads = cache.stats().loads;
    // Committed: applied in place, no reload.
    graph.db.exec('BEGIN IMMEDIATE');
    await threat(graph, 'p2');
    await threat(graph, 'p3', 'T1059');
    graph.db.exec('COMMIT');
    await exact('after a commit');
    assert.deepEqual(await threats(), ['threat:p2']);
    assert.equal(cache.stats().loads, loads);
    assert.equal(cache.stats().applied, 2);
    // One write rolled back to a savepoint, the next committed.
    graph.db.exec('BEGIN IMMEDIATE');
    graph.db.exec('SAVEPOINT s');
    await threat(graph, 'p4');
    graph.db.exec('ROLLBACK TO s');
    graph.db.exec('RELEASE s');
    await threat(graph, 'p5');
    graph.db.exec('COMMIT');
    await exact('after a savepoint rolled back');
    assert.deepEqual(await threats(), ['threat:p2', 'threat:p5']);
    // The same write again after a rollback: held twice, its rows are there, the repeat is refused.
    graph.db.exec('BEGIN IMMEDIATE');
    graph.db.exec('SAVEPOINT s');
    await threat(graph, 'p6');
    graph.db.exec('ROLLBACK TO s');
    graph.db.exec('RELEASE s');
    await threat(graph, 'p6');
    graph.db.exec('COMMIT');
    await exact('after a write repeated');
    assert.deepEqual(await threats(), ['threat:p2', 'threat:p5', 'threat:p6']);
  } finally {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no snapshot is loaded inside a transaction the caller opened (a rollback would leave it ahead)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-'));
  const graph = openSqliteGraph({ path: join(dir, 'graph.sqlite'), adjacency: { catchUp: false } });
  try {
    const cache = graph.adjacency;
    assert.ok(cache);
    await graph.apply(sampleBatch());
    await graph.neighbours('technique:T1566');
    await cache.settled();
    graph.db.exec('BEGIN IMMEDIATE');
    await threat(graph, 'p1');
    // Stale (the token moved): the database answers and a reload is asked for, which would run inside the transaction.
    await graph.neighbours('technique:T1566');
    await cache.settled();
    graph.db.exec('ROLLBACK');
    const o = { depth: 2 };
    assert.deepEqual(
      await graph.neighbours('technique:T1566', o),
      await referenceNeighbours(graph, 'technique:T1566', o),
    );
    await cache.settled();
    assert.deepEqual(
      await graph.neighbours('technique:T1566', o),
      await referenceNeighbours(graph, 'technique:T1566', o),
    );
    assert.equal(
      cache.stats().stale,
      3,
      'the first fill, the query in the transaction, the one after the rollback',
    );
  } finally {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
