import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { detectFormat, importFiles, publicDataGraphFiles, readJsonFile } from './import-file.js';
import { openSqliteGraph } from './sqlite-graph.js';

const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/graph/${name}`, import.meta.url));

test('files of every format import in dependency order whatever order they are given in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-import-'));
  try {
    const gz = join(dir, 'attack.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixturePath('attack-mini.json'))));
    const g = openSqliteGraph({ path: ':memory:' });
    const lines: string[] = [];
    const reports = await importFiles(
      g,
      [
        fixturePath('cve-attack-mappings-sample.json'),
        fixturePath('misp-threat-actor.json'),
        fixturePath('kev-sample.json'),
        fixturePath('feed-bundle.json'),
        fixturePath('misp-country.json'),
        gz,
      ],
      { onProgress: (p) => lines.push(`${p.format} ${p.phase}`) },
    );
    assert.deepEqual(
      reports.map((r) => `${r.format}:${r.source}`),
      [
        'stix:attack',
        'stix:stix',
        'misp-galaxy:misp-galaxy',
        'kev:kev',
        'cve-attack-mappings:mappings-explorer',
      ],
    );
    assert.equal(
      reports[1]?.unresolved,
      1,
      'the feed resolved its ATT&CK references because ATT&CK went first',
    );
    assert.ok(lines.includes('kev read') && lines.includes('stix write'));
    const v = await g.getNode('vulnerability:CVE-2021-44228');
    assert.deepEqual(v?.sources, ['kev', 'mappings-explorer']);
    await g.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unreadable, non-JSON and unknown inputs are refused with clear codes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-graph-import-'));
  try {
    const g = openSqliteGraph({ path: ':memory:' });
    writeFileSync(join(dir, 'bad.json'), '{nope');
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'bad.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await assert.rejects(readJsonFile(join(dir, 'missing.json')), { code: 'CS_ERR_INPUT_UNREADABLE' });
    await assert.rejects(readJsonFile(join(dir, 'bad.json')), { code: 'CS_ERR_INPUT_UNREADABLE' });
    await assert.rejects(readJsonFile(join(dir, 'bad.gz')), { code: 'CS_ERR_INPUT_UNREADABLE' });
    await assert.rejects(importFiles(g, [fixturePath('kev-sample.json'), join(dir, 'other.json')]), {
      code: 'CS_ERR_VALIDATION',
    });
    assert.equal((await g.stats()).nodes, 0, 'nothing is written when one file is not recognised');
    assert.equal(detectFormat({ type: 'bundle', objects: [] }), 'stix');
    assert.equal(detectFormat([1]), undefined);
    await g.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('publicDataGraphFiles lists the ATT&CK bundle, the galaxies, KEV and the mappings of a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-public-data-'));
  try {
    for (const sub of ['misp-galaxy', 'cve-attack-mappings']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'misp-galaxy', 'threat-actor.json'), '{}');
    writeFileSync(join(dir, 'misp-galaxy', 'README.md'), '');
    writeFileSync(join(dir, 'cve-attack-mappings', 'kev-attack.json'), '{}');
    assert.deepEqual(publicDataGraphFiles(dir), [
      join(dir, 'attack/enterprise-attack.json.gz'),
      join(dir, 'misp-galaxy', 'threat-actor.json'),
      join(dir, 'kev/known_exploited_vulnerabilities.json'),
      join(dir, 'cve-attack-mappings', 'kev-attack.json'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
