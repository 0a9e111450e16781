import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { catalogueMeta, dumpCatalogue, ensureCatalogueLoaded, readCatalogue } from './catalogue.js';
import { importKev } from './kev-import.js';
import { importMispGalaxies } from './misp-import.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

async function fixtureCatalogue(dir: string): Promise<{ catalogue: string; meta: string }> {
  const g = openSqliteGraph({ path: ':memory:' });
  await importStixBundle(g, fixture('attack-mini.json'));
  await importMispGalaxies(g, [
    fixture('misp-threat-actor.json'),
    fixture('misp-country.json'),
    fixture('misp-tool.json'),
  ]);
  await importKev(g, fixture('kev-sample.json'));
  const c = await dumpCatalogue(g, [{ name: 'attack', title: 'test', version: '1', licence: 'test' }]);
  await g.close();
  const paths = { catalogue: join(dir, 'c.json.gz'), meta: join(dir, 'c.meta.json') };
  writeFileSync(paths.catalogue, gzipSync(JSON.stringify(c)));
  writeFileSync(paths.meta, JSON.stringify(catalogueMeta(c)));
  return paths;
}

test('a dumped catalogue loads into an empty graph once, and reproduces the graph it came from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cat-'));
  try {
    const paths = await fixtureCatalogue(dir);
    const g = openSqliteGraph({ path: ':memory:' });
    let hook = 0;
    const opts = { cataloguePath: paths.catalogue, metaPath: paths.meta, afterLoad: async () => hook++ };
    const first = await ensureCatalogueLoaded(g, opts);
    assert.equal(first.loaded, true);
    assert.ok(first.nodesCreated > 20 && first.edgesWritten > 20);
    const second = await ensureCatalogueLoaded(g, opts);
    assert.deepEqual([second.loaded, second.nodesCreated, hook], [false, 0, 1]);
    // Same content as a graph built by the importers: dumping it again gives the same catalogue id.
    const again = await dumpCatalogue(g, [{ name: 'attack', title: 'test', version: '1', licence: 'test' }]);
    assert.equal(again.id, first.catalogueId);
    const fancy = await g.lookupAliases(['fancybear', 'sofacy', 'attack:g0007'], {
      types: ['Actor'],
      kinds: ['name', 'alias', 'xid'],
    });
    assert.deepEqual([...new Set(fancy.map((a) => a.nodeId))], ['actor:G0007']);
    assert.deepEqual((await g.getNode('actor:G0007'))?.sources, ['attack', 'misp-galaxy']);
    await g.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing, corrupt or tampered catalogue is refused with asset codes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cat-'));
  try {
    const paths = await fixtureCatalogue(dir);
    const g = openSqliteGraph({ path: ':memory:' });
    await assert.rejects(ensureCatalogueLoaded(g, { metaPath: join(dir, 'none.json') }), {
      code: 'CS_ERR_ASSET_MISSING',
    });
    await assert.rejects(readCatalogue(join(dir, 'none.json.gz')), /build:graph-catalogue/);
    writeFileSync(join(dir, 'bad.gz'), 'not gzip, not json');
    await assert.rejects(readCatalogue(join(dir, 'bad.gz')), { code: 'CS_ERR_ARTEFACT_INVALID' });
    const c = await readCatalogue(paths.catalogue);
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ ...c, nodes: [['x', 'Actor']] }));
    await assert.rejects(readCatalogue(join(dir, 'shape.json')), { code: 'CS_ERR_ARTEFACT_INVALID' });
    const tampered = {
      ...c,
      nodes: c.nodes.map((n, i) => (i === 0 ? [n[0], n[1], 'Renamed', ...n.slice(3)] : n)),
    };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    await assert.rejects(readCatalogue(join(dir, 'tampered.json')), /does not match its id/);
    assert.equal((await g.stats()).nodes, 0);
    await g.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped catalogue loads and merges the aliases of one actor', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  const r = await ensureCatalogueLoaded(g);
  assert.equal(r.loaded, true);
  const stats = await g.stats();
  assert.ok((stats.nodesByType.Technique ?? 0) > 600, 'ATT&CK techniques');
  assert.ok((stats.nodesByType.Actor ?? 0) > 900, 'ATT&CK groups and MISP actors');
  assert.ok((stats.nodesByType.Vulnerability ?? 0) > 1000, 'KEV');
  assert.ok((stats.edgesByType.EXPLOITS ?? 0) > 1000, 'CVE to ATT&CK mappings');
  const ids = await g.lookupAliases(['apt28', 'fancybear', 'sofacy', 'attack:g0007'], {
    types: ['Actor'],
    kinds: ['name', 'alias', 'xid'],
  });
  assert.deepEqual([...new Set(ids.map((a) => a.nodeId))], ['actor:G0007']);
  const log4j = await g.getNode('vulnerability:CVE-2021-44228');
  assert.deepEqual((log4j?.props.kev as { ransomware?: boolean } | undefined)?.ransomware, true);
  await g.close();
});
