import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixedClock } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

function graph(): GraphStore {
  return openSqliteGraph({ path: ':memory:', clock: fixedClock(Date.UTC(2026, 0, 1)) });
}

async function out(g: GraphStore, id: string, type?: string): Promise<string[]> {
  const edges = await g.edges({
    nodeIds: [id],
    direction: 'out',
    ...(type ? { edgeTypes: [type as 'USES'] } : {}),
  });
  return edges.map((e) => `${e.type}>${e.dst}`).sort();
}

test('the ATT&CK bundle imports techniques, tactics, groups, software, campaigns and mitigations', async () => {
  const g = graph();
  const progress: string[] = [];
  const report = await importStixBundle(g, fixture('attack-mini.json'), {
    onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`),
  });
  assert.equal(report.source, 'attack');
  assert.equal(report.records, 53);
  assert.equal(report.skippedCount, 4, JSON.stringify(report.skipped));
  assert.deepEqual(report.skipped.map((s) => s.reason).sort(), [
    'id "attack-pattern--not-a-uuid" is not a attack-pattern--<uuid>',
    'no name',
    'not an object',
    'source_ref or target_ref is not a STIX id',
  ]);
  assert.equal(report.unresolved, 0);
  assert.ok(report.ignored >= 5, 'revoked, deprecated, detection, marking and the links to them');
  assert.ok(progress.includes('read:53/53') && progress.some((p) => p.startsWith('write:')));

  const apt28 = await g.getNode('actor:G0007');
  assert.equal(apt28?.name, 'APT28');
  assert.equal(apt28?.props.attackId, 'G0007');
  assert.match(String(apt28?.props.stixId), /^intrusion-set--/);
  assert.deepEqual(apt28?.sources, ['attack']);
  assert.equal(await g.getNode('technique:T1086'), undefined, 'revoked technique is not imported');
  assert.equal(await g.getNode('technique:T1999'), undefined, 'deprecated technique is not imported');
  const ps = await g.getNode('technique:T1059.001');
  assert.equal(ps?.name, 'PowerShell');
  assert.equal(JSON.stringify(ps?.props).includes('prose'), false, 'descriptions are not kept');
  assert.deepEqual(await out(g, 'technique:T1059.001'), [
    'IN_TACTIC>tactic:TA0002',
    'SUBTECHNIQUE_OF>technique:T1059',
  ]);
  assert.deepEqual(await out(g, 'actor:G0007'), [
    'CONDUCTS>campaign:C0001',
    'USES>malware:S0023',
    'USES>technique:T1059.001',
    'USES>technique:T1071',
    'USES>technique:T1105',
    'USES>technique:T1566',
    'USES>technique:T1566.001',
    'USES>tool:S0002',
  ]);
  assert.deepEqual(await out(g, 'campaign:C0001', 'ATTRIBUTED_TO'), ['ATTRIBUTED_TO>actor:G0007']);
  assert.deepEqual(await out(g, 'actor:G0007', 'CONDUCTS'), ['CONDUCTS>campaign:C0001']);
  assert.deepEqual(await out(g, 'mitigation:M1017'), [
    'MITIGATES>technique:T1566',
    'MITIGATES>technique:T1566.001',
  ]);
  const [edge] = await g.edges({ nodeIds: ['actor:G0032'], direction: 'out', edgeTypes: ['USES'] });
  assert.equal(edge?.source, 'attack');
  assert.equal(edge?.confidence, 0.9);
  const fancy = await g.lookupAliases(['fancybear', 'sofacy', 'attack:g0007'], { types: ['Actor'] });
  assert.deepEqual([...new Set(fancy.map((a) => a.nodeId))], ['actor:G0007']);

  const again = await importStixBundle(g, fixture('attack-mini.json'));
  assert.deepEqual(
    [again.nodesCreated, again.nodesUpdated, again.edgesWritten, again.aliasesAdded],
    [0, 0, 0, 0],
    'a second run changes nothing',
  );
  await g.close();
});

test('a user feed merges into known actors by alias and links reports, indicators and targets', async () => {
  const g = graph();
  await importStixBundle(g, fixture('attack-mini.json'));
  const before = (await g.stats()).nodesByType.Actor;
  const report = await importStixBundle(g, fixture('feed-bundle.json'), { source: 'stix:test-feed' });
  assert.equal(report.source, 'stix:test-feed');
  assert.equal(report.skippedCount, 4, JSON.stringify(report.skipped));
  assert.equal(report.unresolved, 1, 'the technique that exists nowhere');
  assert.equal(
    (await g.stats()).nodesByType.Actor,
    (before ?? 0) + 1,
    'Fancy Bear merged, Glass Heron is new',
  );

  const apt28 = await g.getNode('actor:G0007');
  assert.equal(apt28?.name, 'APT28', 'the feed does not rename an ATT&CK group');
  assert.deepEqual(apt28?.sources, ['attack', 'stix:test-feed']);
  assert.equal(apt28?.props.motivation, 'organizational-gain');
  const tsar = await g.lookupAliases(['tsarteam']);
  assert.deepEqual(
    tsar.map((a) => a.nodeId),
    ['actor:G0007'],
  );

  const ip = await g.getNode('indicator:ipv4:203.0.113.7');
  assert.equal(ip?.type, 'Indicator');
  assert.ok(await g.getNode('indicator:domain:update-check.example.net'), 'domain lower-cased');
  assert.ok(
    await g.getNode(`indicator:sha256:${'aabbccddeeff00112233445566778899'.repeat(2)}`),
    'hash lower-cased',
  );
  assert.ok(await g.getNode("indicator:pattern:[process:command_line MATCHES '^powershell -enc']"));
  const [ind] = await g.edges({ nodeIds: ['indicator:ipv4:203.0.113.7'], direction: 'out' });
  assert.deepEqual(
    [ind?.type, ind?.dst, ind?.confidence, ind?.props],
    ['RELATED_TO', 'actor:G0007', 0.7, { relationship: 'indicates' }],
  );

  const actorOut = await out(g, 'actor:G0007');
  assert.ok(actorOut.includes('TARGETS>target:country:UA'));
  assert.ok(actorOut.includes('TARGETS>target:sector:government'));
  assert.ok(actorOut.some((e) => e.startsWith('USES>malware:stix:')));
  assert.ok(actorOut.some((e) => e.startsWith('RELATED_TO>actor:stix:')));

  const threats = await g.neighbours('actor:G0007', { nodeTypes: ['Threat'] });
  assert.equal(threats.neighbours.length, 1);
  const threatId = threats.neighbours[0]?.node.id as string;
  assert.match(threatId, /^threat:stix:/);
  const threatOut = await out(g, threatId);
  assert.deepEqual(
    threatOut.filter((e) => !e.includes(':stix:') && !e.includes('indicator:')),
    [
      'ATTRIBUTED_TO>actor:G0007',
      'CONTAINS>vulnerability:CVE-2023-23397',
      'TARGETS>target:sector:government',
      'USES>technique:T1566.001',
    ],
  );
  assert.equal(threatOut.filter((e) => e.startsWith('CONTAINS>indicator:')).length, 3);
  const heron = (await g.lookupAliases(['heronloader']))[0]?.nodeId as string;
  assert.deepEqual(await out(g, heron, 'EXPLOITS'), ['EXPLOITS>vulnerability:CVE-2023-23397']);
  assert.deepEqual(await out(g, heron, 'RELATED_TO'), ['RELATED_TO>malware:S0023']);

  const again = await importStixBundle(g, fixture('feed-bundle.json'), { source: 'stix:test-feed' });
  assert.deepEqual([again.nodesCreated, again.nodesUpdated, again.edgesWritten], [0, 0, 0]);
  await g.close();
});

test('input that is not a bundle is refused and changes nothing', async () => {
  const g = graph();
  for (const bad of [null, [], { type: 'bundle' }, { type: 'report', objects: [] }]) {
    await assert.rejects(importStixBundle(g, bad), { code: 'CS_ERR_VALIDATION' });
  }
  assert.equal((await g.stats()).nodes, 0);
  await g.close();
});
