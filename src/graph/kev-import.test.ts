import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { importCveAttackMappings, importKev } from './kev-import.js';
import { openSqliteGraph } from './sqlite-graph.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

test('KEV entries become vulnerabilities with their KEV facts; bad entries are skipped', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  const report = await importKev(g, fixture('kev-sample.json'));
  assert.deepEqual([report.records, report.imported, report.skippedCount], [5, 3, 2]);
  const log4j = await g.getNode('vulnerability:CVE-2021-44228');
  assert.deepEqual(log4j?.props.kev, {
    dateAdded: '2021-12-10',
    dueDate: '2021-12-24',
    ransomware: true,
    vendor: 'Apache',
    product: 'Log4j2',
    name: 'Apache Log4j2 Remote Code Execution Vulnerability',
  });
  assert.equal((await g.getNode('vulnerability:CVE-2023-23397'))?.props.kev && true, true);
  assert.equal(await g.getMeta('kev.catalogVersion'), '2025.01.01');
  const again = await importKev(g, fixture('kev-sample.json'));
  assert.deepEqual([again.nodesCreated, again.nodesUpdated], [0, 0]);
  await assert.rejects(importKev(g, { vulns: [] }), { code: 'CS_ERR_VALIDATION' });
  await g.close();
});

test('CVE to ATT&CK mappings link techniques to vulnerabilities with their mapping types', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  const report = await importCveAttackMappings(g, fixture('cve-attack-mappings-sample.json'));
  assert.deepEqual([report.records, report.imported, report.skippedCount, report.ignored], [8, 4, 3, 1]);
  const edges = await g.edges({ nodeIds: ['vulnerability:CVE-2021-44228'], direction: 'in' });
  assert.deepEqual(edges.map((e) => [e.src, e.type, e.confidence, e.props.mappingTypes]).sort(), [
    ['technique:T1059', 'EXPLOITS', 0.7, ['primary_impact', 'secondary_impact']],
    ['technique:T1190', 'EXPLOITS', 0.9, ['exploitation_technique']],
  ]);
  assert.equal((await g.getNode('technique:T1210'))?.name, 'Exploitation of Remote Services');
  const again = await importCveAttackMappings(g, fixture('cve-attack-mappings-sample.json'));
  assert.deepEqual([again.nodesCreated, again.nodesUpdated, again.edgesWritten], [0, 0, 0]);
  await g.close();
});
