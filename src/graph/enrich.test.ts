import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { fixedClock } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { enrich, kevStatus } from './enrich.js';
import { EnrichResultSchema } from './enrich-schema.js';
import { importCveAttackMappings, importKev } from './kev-import.js';
import { importMispGalaxies } from './misp-import.js';
import { minePatterns } from './patterns.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';
import { recordThreat } from './threats.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

async function fixtureGraph(): Promise<GraphStore> {
  const g = openSqliteGraph({ path: ':memory:', clock: fixedClock(Date.UTC(2026, 0, 1)) });
  await importStixBundle(g, fixture('attack-mini.json'));
  await importStixBundle(g, fixture('feed-bundle.json'));
  await importMispGalaxies(
    g,
    ['misp-threat-actor', 'misp-tool', 'misp-ransomware', 'misp-country', 'misp-sector'].map((n) =>
      fixture(`${n}.json`),
    ),
  );
  await importKev(g, fixture('kev-sample.json'));
  await importCveAttackMappings(g, fixture('cve-attack-mappings-sample.json'));
  await recordThreat(g, {
    predictionId: 'p-old-1',
    title: 'Phishing wave with PowerShell loader',
    severity: 'high',
    indicators: [{ type: 'domain', value: 'evil.example.com' }],
    techniques: [
      { id: 'T1566.001', score: 0.9 },
      { id: 'T1059.001', score: 0.8 },
    ],
  });
  await recordThreat(g, {
    predictionId: 'p-old-2',
    title: 'Unrelated exploitation',
    severity: 'medium',
    techniques: [{ id: 'T1190', score: 0.9 }],
  });
  return g;
}

test('enrichment ranks actors by aliases, techniques, software and indicators, with evidence', async () => {
  const g = await fixtureGraph();
  const result = await enrich(g, {
    text: 'The Sofacy operators sent spearphishing attachments that ran PowerShell and pulled Mimikatz.',
    indicators: [
      { type: 'ipv4', value: '203.0.113.7' },
      { type: 'domain', value: 'EVIL.example.com' },
      { type: 'ipv4', value: '999.1.1.1' },
    ],
    techniques: [
      { id: 'T1566.001', score: 0.9, sentences: ['The Sofacy operators sent spearphishing attachments'] },
      { id: 'T1059.001', score: 0.7 },
      { id: 'T9999', score: 0.5 },
    ],
    cves: ['cve-2021-44228', 'CVE-2000-0001'],
    excludeThreatId: 'threat:p-new',
  });
  assert.ok(
    Value.Check(EnrichResultSchema, result),
    JSON.stringify([...Value.Errors(EnrichResultSchema, result)].slice(0, 3)),
  );
  const [top, second] = result.actors;
  assert.equal(top?.id, 'actor:G0007');
  assert.equal(top?.attackId, 'G0007');
  assert.deepEqual(top?.evidence.aliases, [{ text: 'Sofacy', kind: 'alias' }]);
  assert.deepEqual(top?.evidence.techniques, [
    { id: 'T1059.001', match: 'exact' },
    { id: 'T1566.001', match: 'exact' },
  ]);
  // The fixture gives CHOPSTICK (used by APT28) the alias "Sofacy" too, so the name also counts as software.
  assert.deepEqual(top?.evidence.software.map((s) => s.name).sort(), ['CHOPSTICK', 'Mimikatz']);
  assert.deepEqual(top?.evidence.indicators, [{ type: 'ipv4', value: '203.0.113.7', via: 'direct' }]);
  assert.deepEqual(
    top?.campaigns.map((c) => c.name),
    ['Operation Test'],
  );
  assert.ok(top?.targets.some((t) => t.id === 'target:country:UA' && t.kind === 'country'));
  assert.ok((top?.score ?? 0) > 0.95 && (top?.score ?? 0) <= 1);
  assert.ok((second?.score ?? 1) < (top?.score ?? 0));
  // Lazarus uses T1566.001 and Mimikatz but is not named: lower, with that evidence.
  const lazarus = result.actors.find((a) => a.id === 'actor:G0032');
  assert.deepEqual(lazarus?.evidence.techniques, [{ id: 'T1566.001', match: 'exact' }]);
  assert.deepEqual(lazarus?.evidence.aliases, []);
  // APT29 uses only T1566 and T1059 (the parents): partial matches.
  const apt29 = result.actors.find((a) => a.id === 'actor:G0016');
  assert.deepEqual(apt29?.evidence.techniques, [
    { id: 'T1059.001', match: 'parent' },
    { id: 'T1566.001', match: 'parent' },
  ]);
  assert.ok((apt29?.score ?? 1) < (lazarus?.score ?? 0) + 0.5);

  assert.deepEqual(
    result.techniques.map((t) => [t.id, t.name, t.tactics.map((x) => x.id)]),
    [
      ['T1566.001', 'Spearphishing Attachment', ['TA0001']],
      ['T1059.001', 'PowerShell', ['TA0002']],
      ['T9999', undefined, []],
    ],
  );
  assert.deepEqual(result.techniques[0]?.sentences, ['The Sofacy operators sent spearphishing attachments']);
  assert.equal(result.relatedThreats[0]?.id, 'threat:p-old-1');
  assert.deepEqual(result.relatedThreats[0]?.shared, {
    indicators: [{ type: 'domain', value: 'evil.example.com' }],
    techniques: ['T1059.001', 'T1566.001'],
  });
  assert.equal(result.relatedThreats[0]?.severity, 'high');
  assert.ok(!result.relatedThreats.some((t) => t.id === 'threat:p-old-2'));
  assert.deepEqual(
    result.mitigations.map((m) => [m.attackId, m.techniques]),
    [
      ['M1017', ['T1566.001']],
      ['M1042', ['T1059.001']],
    ],
  );
  assert.deepEqual(
    result.vulnerabilities.map((v) => [v.cve, v.inKev, v.ransomware, v.techniques.map((t) => t.id)]),
    [
      ['CVE-2021-44228', true, true, ['T1059', 'T1190']],
      ['CVE-2000-0001', false, undefined, []],
    ],
  );
  assert.deepEqual(
    result.mentions.map((m) => [m.id, m.text]),
    [
      ['actor:G0007', 'Sofacy'],
      ['malware:S0023', 'Sofacy'],
      ['tool:S0002', 'Mimikatz'],
    ],
  );
  await g.close();
});

test('enrichment excludes the caller threat, suggests co-occurring techniques once patterns are mined', async () => {
  const g = await fixtureGraph();
  await recordThreat(g, {
    predictionId: 'p-new',
    title: 'x',
    techniques: [{ id: 'T1566.001', score: 1 }],
  });
  const before = await enrich(g, {
    techniques: [{ id: 'T1566.001', score: 1 }],
    excludeThreatId: 'threat:p-new',
  });
  const related = before.relatedThreats.map((t) => t.id);
  assert.equal(
    related.length,
    2,
    'the stored prediction and the feed report share T1566.001; p-new is excluded',
  );
  assert.ok(related.includes('threat:p-old-1') && !related.includes('threat:p-new'));
  assert.deepEqual(before.suggestedTechniques, []);
  await minePatterns(g, {
    minSupport: 0.25,
    minConfidence: 0.4,
    minLift: 1,
    granularity: 'exact',
    clock: fixedClock(0),
  });
  const after = await enrich(g, { techniques: [{ id: 'T1566.001', score: 1 }] });
  assert.ok(after.suggestedTechniques.length > 0);
  assert.ok(after.suggestedTechniques.every((s) => s.id !== 'T1566.001' && s.because.includes('T1566.001')));
  assert.ok(after.suggestedTechniques.some((s) => s.id === 'T1105'));
  assert.deepEqual(await enrich(g, {}), {
    techniques: [],
    relatedThreats: [],
    actors: [],
    mitigations: [],
    vulnerabilities: [],
    suggestedTechniques: [],
    mentions: [],
  });
  await assert.rejects(enrich(g, { techniques: [{ id: 'X1', score: 2 }] } as never), {
    code: 'CS_ERR_VALIDATION',
  });
  assert.deepEqual((await kevStatus(g, ['CVE-2023-23397']))[0]?.dateAdded, '2023-03-14');
  await g.close();
});
