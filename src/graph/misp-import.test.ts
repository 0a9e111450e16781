import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { GraphStore } from './contract.js';
import { importMispGalaxies } from './misp-import.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));
const GALAXIES = [
  'misp-threat-actor',
  'misp-tool',
  'misp-ransomware',
  'misp-country',
  'misp-sector',
  'misp-unknown',
];

async function outEdges(g: GraphStore, id: string): Promise<string[]> {
  return (await g.edges({ nodeIds: [id], direction: 'out' })).map((e) => `${e.type}>${e.dst}`).sort();
}

test('MISP galaxies merge into ATT&CK groups and software by alias, and link targets and tools', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  await importStixBundle(g, fixture('attack-mini.json'));
  const report = await importMispGalaxies(
    g,
    GALAXIES.map((n) => fixture(`${n}.json`)),
  );
  assert.equal(report.records, 16);
  assert.equal(report.skippedCount, 4, JSON.stringify(report.skipped));
  assert.equal(report.ignored, 1, 'the galaxy of an unknown kind');
  assert.equal(report.unresolved, 1, 'a uses link to a cluster that is nowhere');

  // APT28, Fancy Bear, Sofacy and G0007 are one actor. (A new MISP actor listing "Fancy Bear" among
  // its synonyms keeps it only as a weaker synonym, so names and aliases still point at one node.)
  const ids = await g.lookupAliases(['apt28', 'fancybear', 'sofacy', 'pawnstorm', 'attack:g0007'], {
    types: ['Actor'],
    kinds: ['name', 'alias', 'xid'],
  });
  const owners = new Map<string, Set<string>>();
  for (const a of ids) owners.set(a.norm, new Set([...(owners.get(a.norm) ?? []), a.nodeId]));
  for (const norm of ['apt28', 'fancybear', 'sofacy', 'attack:g0007']) {
    assert.deepEqual([...(owners.get(norm) ?? [])], ['actor:G0007'], norm);
  }
  assert.deepEqual(
    (await g.lookupAliases(['pawnstorm'])).map((a) => [a.nodeId, a.kind]),
    [['actor:G0007', 'synonym']],
  );
  const apt28 = await g.getNode('actor:G0007');
  assert.equal(apt28?.name, 'APT28');
  assert.deepEqual(apt28?.sources, ['attack', 'misp-galaxy']);
  assert.equal(apt28?.props.origin, 'RU');
  const out = await outEdges(g, 'actor:G0007');
  for (const e of [
    'TARGETS>target:country:UA',
    'TARGETS>target:country:US',
    'TARGETS>target:sector:governmentadministration',
    'TARGETS>target:sector:military',
  ]) {
    assert.ok(out.includes(e), `${e} in ${out.join(', ')}`);
  }
  assert.ok(!out.some((e) => e.includes('nato')), 'victims that are not countries are dropped');

  // A name beats a stray G-id among synonyms; conflicting evidence makes a new actor rather than a wrong merge.
  assert.deepEqual([...new Set((await g.lookupAliases(['thedukes'])).map((a) => a.nodeId))], ['actor:G0016']);
  const twin = (await g.lookupAliases(['twinconfusion']))[0]?.nodeId;
  assert.match(String(twin), /^actor:misp:/);
  const cozyDuke = (await g.lookupAliases(['cozyduke']))[0]?.nodeId;
  assert.match(String(cozyDuke), /^actor:misp:/);

  // Software merges across galaxies and types; links resolve through shared uuids.
  assert.deepEqual(
    (await g.lookupAliases(['mimikatzexe'])).map((a) => a.nodeId),
    ['tool:S0002'],
  );
  assert.deepEqual(
    (await g.lookupAliases(['sofacybackdoor'])).map((a) => a.nodeId),
    ['malware:S0023'],
  );
  const pale = (await g.lookupAliases(['palesparrow']))[0]?.nodeId as string;
  const lockfake = (await g.lookupAliases(['lockfake']))[0]?.nodeId as string;
  assert.deepEqual(
    await outEdges(g, pale),
    [`TARGETS>target:sector:energy`, `USES>${lockfake}`, 'USES>tool:S0002'].sort(),
  );
  assert.deepEqual(await outEdges(g, lockfake), ['USES>technique:T1105']);
  assert.equal((await g.getNode(lockfake))?.props.ransomware, true);
  const similar = (
    await g.edges({ nodeIds: ['actor:G0007'], direction: 'out', edgeTypes: ['RELATED_TO'] })
  )[0];
  assert.deepEqual(
    [similar?.dst, similar?.confidence, similar?.props],
    [pale, 0.7, { relationship: 'similar' }],
  );
  assert.equal((await g.getNode('target:country:UA'))?.name, 'Ukraine');

  const again = await importMispGalaxies(
    g,
    GALAXIES.map((n) => fixture(`${n}.json`)),
  );
  assert.deepEqual(
    [again.nodesCreated, again.nodesUpdated, again.edgesWritten, again.aliasesAdded],
    [0, 0, 0, 0],
  );
  await g.close();
});

test('a file that is not a galaxy is refused before anything is written', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  await assert.rejects(importMispGalaxies(g, [fixture('misp-country.json'), { values: 'x' }]), {
    code: 'CS_ERR_VALIDATION',
  });
  assert.equal((await g.stats()).nodes, 0);
  await g.close();
});
