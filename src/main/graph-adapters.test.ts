import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { extractIndicators } from '../extract/index.js';
import { openSqliteGraph, threatNodeId } from '../graph/index.js';
import type { Entities } from '../http/index.js';
import { createThreatRecorder, graphIndicators } from './graph-adapters.js';
import { createGraphEnricher } from './graph-enricher.js';

test('graphIndicators keeps the kinds the graph knows and drops warninglisted values', () => {
  const entities = {
    ...extractIndicators('beacon to evil-c2.example.net and 198.51.100.23, see CVE-2024-1234'),
  } as unknown as Entities;
  (entities.matches as { value: string; warninglists: unknown[] }[])
    .find((m) => m.value === '198.51.100.23')!
    .warninglists.push({ name: 'test', description: 'benign' });
  assert.deepEqual(graphIndicators(entities, 10), [{ type: 'domain', value: 'evil-c2.example.net' }]);
});

test('recorded predictions become threats that enrichment relates through shared indicators', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-adapters-'));
  const graph = await openSqliteGraph({ path: join(dir, 'graph.sqlite') });
  try {
    const recorder = createThreatRecorder(graph);
    const entities = (text: string) => extractIndicators(text) as unknown as Entities;
    const first = 'Loader beacons to evil-c2.example.net (CVE-2024-1234)';
    await Promise.all([
      recorder.record({
        id: 'p1',
        text: first,
        severity: 'high',
        entities: entities(first),
        techniques: [{ id: 'T1071.001', score: 0.8 }],
        createdAt: 0,
      }),
      recorder.record({
        id: 'p2',
        text: 'unrelated',
        severity: 'low',
        entities: entities('unrelated'),
        techniques: [{ id: 'not-an-id', score: 1 }],
        createdAt: 1,
      }),
    ]);
    await recorder.idle();
    const [node] = await graph.getNodes([threatNodeId('p1')]);
    assert.equal(node?.type, 'Threat');
    assert.equal(node?.props.severity, 'high');

    const enricher = createGraphEnricher({ graph, warninglists: undefined });
    const result = await enricher.enrich({ text: 'New sample also talks to evil-c2.example.net' });
    assert.deepEqual(
      result.relatedThreats.map((t) => t.id),
      [threatNodeId('p1')],
    );
    assert.deepEqual(result.relatedThreats[0]?.shared.indicators, [
      { type: 'domain', value: 'evil-c2.example.net' },
    ]);
    const stored = {
      get: async (id: string) => (id === 'p1' ? { id, text: first, details: null } : undefined),
    };
    const byPrediction = createGraphEnricher({
      graph,
      warninglists: undefined,
      predictions: stored as never,
    });
    const excluded = await byPrediction.enrich({ predictionId: 'p1' });
    assert.deepEqual(excluded.relatedThreats, []);
    assert.deepEqual(
      excluded.vulnerabilities.map((v) => v.cve),
      ['CVE-2024-1234'],
    );

    const mapped = createGraphEnricher({
      graph,
      warninglists: undefined,
      techniques: {
        mapDocument: () => [
          { id: 'T1071.001', score: 0.7, sentences: [{ text: 'beacons', start: 0, end: 7, score: 0.7 }] },
        ],
      },
    });
    const byTechnique = await mapped.enrich({ text: 'It beacons over HTTPS' });
    assert.deepEqual(
      byTechnique.techniques.map((t) => [t.id, t.score, t.sentences]),
      [['T1071.001', 0.7, ['beacons']]],
    );
    assert.deepEqual(
      byTechnique.relatedThreats.map((t) => t.shared.techniques),
      [['T1071.001']],
    );

    // One invalid prediction in a group fails alone; the others of its group are committed.
    const group = ['g1', 'bad\u0000id', 'g3'].map((id) =>
      recorder.record({
        id,
        text: id,
        severity: 'low',
        entities: entities('x'),
        techniques: [],
        createdAt: 3,
      }),
    );
    const settled = await Promise.allSettled(group);
    assert.deepEqual(
      settled.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((await graph.getNodes([threatNodeId('g1'), threatNodeId('g3')])).length, 2);
    assert.equal(graph.db.inTransaction, false);

    const full = createThreatRecorder(graph, 0);
    await assert.rejects(
      full.record({
        id: 'p3',
        text: 'x',
        severity: 'low',
        entities: entities('x'),
        techniques: [],
        createdAt: 2,
      }),
      { code: 'CS_ERR_TIMEOUT' },
    );
  } finally {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a prediction whose text carries NUL is still recorded, and enrichment finds it by its indicator', async () => {
  const graph = openSqliteGraph({ path: ':memory:' });
  try {
    const recorder = createThreatRecorder(graph, 10, 10, 0);
    const text = 'Beacon\u0000 to nulcheck-evil[.]com observed';
    await recorder.record({
      id: 'nul',
      text,
      severity: 'high',
      entities: extractIndicators(text) as unknown as Entities,
      techniques: [],
      createdAt: 0,
    });
    assert.equal((await graph.getNode(threatNodeId('nul')))?.name, 'Beacon to nulcheck-evil[.]com observed');
    const enriched = await createGraphEnricher({ graph, warninglists: undefined }).enrich({
      indicators: [{ type: 'domain', value: 'nulcheck-evil.com' }],
    });
    assert.deepEqual(
      enriched.relatedThreats.map((t) => t.id),
      [threatNodeId('nul')],
    );
  } finally {
    await graph.close();
  }
});
