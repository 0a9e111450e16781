import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixedClock } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { cypherProblem, parseCypherString } from './cypher-check.js';
import { cypherString, exportCypher } from './export-cypher.js';
import { exportStixBundle, MITRE_NOTICE } from './export-stix.js';
import { importKev } from './kev-import.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';
import { indicatorsFromPattern } from './stix-pattern.js';
import { stixBundleProblems } from './stix-validate.js';
import { recordThreat } from './threats.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

const NASTY = 'O\'Brien \\ "quoted" line\nbreak\ttab \u0001 `tick` ; ) ] } 🐻';

async function fixtureGraph(): Promise<GraphStore> {
  const g = openSqliteGraph({ path: ':memory:', clock: fixedClock(Date.UTC(2026, 0, 1)) });
  await importStixBundle(g, fixture('attack-mini.json'));
  await importStixBundle(g, fixture('feed-bundle.json'));
  await importKev(g, fixture('kev-sample.json'));
  await recordThreat(g, {
    predictionId: 'p1',
    title: NASTY,
    severity: 'high',
    indicators: [
      { type: 'ipv4', value: '203.0.113.7' },
      { type: 'url', value: "http://x.example/a'b\\c" },
      { type: 'sha256', value: 'ab'.repeat(32) },
    ],
    techniques: [
      { id: 'T1566.001', score: 0.9 },
      { id: 'T1105', score: 0.6 },
    ],
    cves: ['CVE-2021-44228'],
  });
  return g;
}

test('a threat and its neighbourhood export as a valid STIX 2.1 bundle that imports back', async () => {
  const g = await fixtureGraph();
  const bundle = JSON.parse(
    JSON.stringify(await exportStixBundle(g, 'threat:p1', { now: '2026-01-02T00:00:00.000Z' })),
  );
  assert.deepEqual(stixBundleProblems(bundle), []);
  const byType = (t: string) => bundle.objects.filter((o: { type: string }) => o.type === t);
  const [report] = byType('report');
  assert.equal(report.name, NASTY.replace(/\s+/g, ' ').trim());
  assert.equal(report.x_cyberstreams_severity, 'high');
  assert.equal(report.object_refs.length, 6, '3 indicators, 2 techniques, 1 vulnerability');
  const patterns = byType('indicator').map((i: { pattern: string }) => indicatorsFromPattern(i.pattern)[0]);
  assert.deepEqual(patterns.map((p: { type: string; value: string }) => `${p.type}:${p.value}`).sort(), [
    'ipv4:203.0.113.7',
    `sha256:${'ab'.repeat(32)}`,
    "url:http://x.example/a'b\\c",
  ]);
  const spear = byType('attack-pattern').find((a: { name: string }) => a.name === 'Spearphishing Attachment');
  assert.deepEqual(spear.external_references[0].external_id, 'T1566.001');
  assert.deepEqual(spear.kill_chain_phases, [
    { kill_chain_name: 'mitre-attack', phase_name: 'initial-access' },
  ]);
  assert.match(spear.id, /^attack-pattern--/);
  const [marking] = byType('marking-definition');
  assert.equal(marking.definition.statement, MITRE_NOTICE);
  assert.deepEqual(spear.object_marking_refs, [marking.id]);
  assert.equal(byType('vulnerability')[0].x_cyberstreams_kev.ransomware, true);

  const deeper = JSON.parse(JSON.stringify(await exportStixBundle(g, 'threat:p1', { depth: 2 })));
  assert.deepEqual(stixBundleProblems(deeper), []);
  const rels = deeper.objects.filter((o: { type: string }) => o.type === 'relationship');
  assert.ok(rels.some((r: { relationship_type: string }) => r.relationship_type === 'uses'));
  assert.ok(
    deeper.objects.some(
      (o: { type: string; name?: string }) => o.type === 'intrusion-set' && o.name === 'APT28',
    ),
  );
  const apt28 = deeper.objects.find(
    (o: { type: string; name?: string }) => o.type === 'intrusion-set' && o.name === 'APT28',
  );
  assert.ok(apt28.aliases.includes('Fancy Bear'));

  // Round trip: the exported bundle is a feed the importer takes.
  const back = openSqliteGraph({ path: ':memory:' });
  const report2 = await importStixBundle(back, bundle, { source: 'stix:export' });
  assert.equal(report2.skippedCount, 0, JSON.stringify(report2.skipped));
  const threat = (await back.neighbours('indicator:ipv4:203.0.113.7', { nodeTypes: ['Threat'] }))
    .neighbours[0]?.node;
  assert.equal(threat?.name, NASTY.replace(/\s+/g, ' ').trim());
  assert.deepEqual(
    (await back.edges({ nodeIds: [threat?.id as string], direction: 'out', edgeTypes: ['USES'] }))
      .map((e) => e.dst)
      .sort(),
    ['technique:T1105', 'technique:T1566.001'],
  );
  await assert.rejects(exportStixBundle(g, 'threat:none'), { code: 'CS_ERR_NOT_FOUND' });
  await assert.rejects(exportStixBundle(g, 'threat:p1', { depth: 7 }), { code: 'CS_ERR_VALIDATION' });
  await g.close();
  await back.close();
});

test('the bundle checker catches what a broken exporter would produce', () => {
  const ok = { type: 'bundle', id: 'bundle--6ba7b811-9dad-11d1-80b4-00c04fd430c8', objects: [] };
  assert.deepEqual(stixBundleProblems(ok), []);
  const bad = {
    ...ok,
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--6ba7b811-9dad-11d1-80b4-00c04fd430c8',
        created: 'yesterday',
        modified: '2026-01-01T00:00:00.000Z',
        pattern: "ipv4-addr:value = '1'",
        pattern_type: 'stix',
        valid_from: '2026-01-01T00:00:00Z',
      },
      {
        type: 'relationship',
        spec_version: '2.0',
        id: 'relationship--6ba7b811-9dad-11d1-80b4-00c04fd430c8',
        created: '2026-01-01T00:00:00Z',
        modified: '2026-01-01T00:00:00Z',
        relationship_type: 'uses',
        source_ref: 'x--1',
        target_ref: 'indicator--6ba7b811-9dad-11d1-80b4-00c04fd430c8',
      },
      {
        type: 'malware',
        spec_version: '2.1',
        id: 'tool--6ba7b811-9dad-11d1-80b4-00c04fd430c8',
        created: '2026-01-01T00:00:00Z',
        modified: '2026-01-01T00:00:00Z',
        is_family: true,
      },
    ],
  };
  const problems = stixBundleProblems(bad).join('\n');
  for (const p of [
    'created is not a timestamp',
    'not a bracketed STIX pattern',
    'spec_version is not 2.1',
    'source_ref does not resolve',
    'is not malware--<uuid>',
    'family lacks name',
  ]) {
    assert.ok(problems.includes(p), `${p} in\n${problems}`);
  }
});

test('the whole graph exports as well-formed Cypher, one MERGE per node and edge, strings escaped', async () => {
  const g = await fixtureGraph();
  const lines: string[] = [];
  const r = await exportCypher(
    g,
    (s) => {
      lines.push(s);
    },
    { pageSize: 7 },
  );
  const stats = await g.stats();
  assert.deepEqual(r, { constraints: 11, nodes: stats.nodes, edges: stats.edges });
  assert.equal(lines.length, 11 + stats.nodes + stats.edges);
  for (const line of lines) assert.equal(cypherProblem(line), undefined, line);
  const threat = lines.find((l) => l.includes("{id: 'threat:p1'}")) as string;
  const nameLiteral = /n\.name = ('(?:[^'\\]|\\.)*')/.exec(threat)?.[1] as string;
  assert.equal(parseCypherString(nameLiteral), NASTY.replace(/\s+/g, ' ').trim());
  const kev = lines.find((l) =>
    l.startsWith("MERGE (n:`Vulnerability` {id: 'vulnerability:CVE-2021-44228'})"),
  ) as string;
  assert.match(kev, /n\.`kev` = '\{"dateAdded":"2021-12-10"/);
  assert.ok(
    lines.some((l) =>
      /^MATCH \(a:`Actor` \{id: 'actor:G0007'\}\), \(b:`Technique` \{id: 'technique:T1566\.001'\}\) MERGE \(a\)-\[r:`USES` \{source: 'attack'\}\]->\(b\) SET r\.confidence = 0\.9;$/.test(
        l,
      ),
    ),
  );
  await g.close();
});

test('the Cypher checker refuses broken quoting and accepts what cypherString writes', () => {
  for (const s of [NASTY, '', "'", '\\', '\u2028', 'a\u0000b']) {
    const stmt = `MERGE (n:\`X\` {id: ${cypherString(s)}});`;
    assert.equal(cypherProblem(stmt), undefined, stmt);
    assert.equal(parseCypherString(cypherString(s)), s);
  }
  const broken = [
    "MERGE (n {id: 'it's'});",
    "MERGE (n {id: 'open});",
    "MERGE (n {id: 'a\nb'});",
    "MERGE (n {id: 'a\\qb'});",
    'MERGE (n {id: 1};',
    "MERGE (n {id: 'x'})",
    "MERGE (n {id: 'x'}); MATCH (m);",
    'DROP DATABASE x;',
    'MERGE (n:`X {id: 1});',
  ];
  for (const b of broken) assert.notEqual(cypherProblem(b), undefined, b);
});
