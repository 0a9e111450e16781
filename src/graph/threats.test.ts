import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteGraph } from './sqlite-graph.js';
import { forgetThreats, recordThreat } from './threats.js';

test('a prediction becomes a threat linked to its indicators, techniques and CVEs; re-recording replaces the links', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  const first = await recordThreat(g, {
    predictionId: 'p1',
    title: `  Ransomware   campaign against hospitals ${'x'.repeat(500)}`,
    severity: 'critical',
    indicators: [
      { type: 'ipv4', value: '198.51.100.4' },
      { type: 'domain', value: 'Bad.Example.ORG' },
      { type: 'domain', value: 'bad.example.org' },
      { type: 'ipv4', value: '1.2.3' },
    ],
    techniques: [
      { id: 'T1486', score: 0.8 },
      { id: 'T1486', score: 0.9 },
      { id: 'T1566', score: 0.4 },
    ],
    cves: ['cve-2021-44228'],
    observedAt: '2026-01-01T00:00:00Z',
  });
  assert.deepEqual(first, {
    threatId: 'threat:p1',
    indicators: 2,
    techniques: 2,
    cves: 1,
    invalidIndicators: ['ipv4:1.2.3'],
  });
  const node = await g.getNode('threat:p1');
  assert.equal(node?.type, 'Threat');
  assert.equal(node?.name.length, 200);
  assert.ok(node?.name.startsWith('Ransomware campaign against hospitals'));
  assert.deepEqual(node?.props, {
    predictionId: 'p1',
    severity: 'critical',
    observedAt: '2026-01-01T00:00:00Z',
  });
  const out = await g.edges({ nodeIds: ['threat:p1'], direction: 'out' });
  assert.deepEqual(out.map((e) => `${e.type}>${e.dst}@${e.confidence}`).sort(), [
    'CONTAINS>indicator:domain:bad.example.org@1',
    'CONTAINS>indicator:ipv4:198.51.100.4@1',
    'CONTAINS>vulnerability:CVE-2021-44228@1',
    'USES>technique:T1486@0.9',
    'USES>technique:T1566@0.4',
  ]);
  assert.equal((await g.getNode('technique:T1486'))?.name, 'T1486', 'unknown techniques get a stub');

  await recordThreat(g, {
    predictionId: 'p1',
    title: 'Ransomware campaign',
    techniques: [{ id: 'T1486', score: 0.9 }],
  });
  const after = await g.edges({ nodeIds: ['threat:p1'], direction: 'out' });
  assert.deepEqual(
    after.map((e) => e.dst),
    ['technique:T1486'],
  );
  const again = await recordThreat(g, {
    predictionId: 'p1',
    title: 'Ransomware campaign',
    techniques: [{ id: 'T1486', score: 0.9 }],
  });
  assert.equal(again.techniques, 1);

  await recordThreat(g, {
    predictionId: 'p2',
    title: 'Other',
    indicators: [{ type: 'ipv4', value: '198.51.100.4' }],
  });
  assert.equal(await forgetThreats(g, ['p1', 'p2', 'p3']), 2);
  assert.equal(await g.getNode('threat:p1'), undefined);
  assert.ok(await g.getNode('indicator:ipv4:198.51.100.4'), 'indicators stay for other threats');
  await g.close();
});

test('malformed threats are refused and change nothing', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  const bad = [
    { predictionId: '', title: 'x' },
    { predictionId: 'p', title: '' },
    { predictionId: 'p', title: 'x', severity: 'urgent' },
    { predictionId: 'p', title: 'x', techniques: [{ id: 'T12', score: 1 }] },
    { predictionId: 'p', title: 'x', techniques: [{ id: 'T1059', score: 1.5 }] },
    { predictionId: 'p', title: 'x', indicators: [{ type: 'mutex', value: 'x' }] },
    { predictionId: 'p', title: 'x', cves: ['CVE-x'] },
    { predictionId: 'p', title: 'x', extra: 1 },
  ];
  for (const b of bad)
    await assert.rejects(recordThreat(g, b as never), { code: 'CS_ERR_VALIDATION' }, JSON.stringify(b));
  assert.equal((await g.stats()).nodes, 0);
  await g.close();
});
