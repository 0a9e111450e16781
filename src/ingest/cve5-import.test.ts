import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { importCve5 } from './cve5-import.js';
import { collect } from './import-documents.js';
import type { SkippedRecord } from './labelled-doc.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('CVE JSON lines: labels, text, source, CWEs and skips follow the data README rules', async () => {
  const skipped: SkippedRecord[] = [];
  const docs = await collect(importCve5(join(FIX, 'cve5-records.jsonl'), { onSkip: (s) => skipped.push(s) }));
  const byId = Object.fromEntries(docs.map((d) => [d.id, d]));
  assert.deepEqual(Object.keys(byId), [
    'CVE-2024-1001',
    'CVE-2024-1002',
    'CVE-2024-1003',
    'CVE-2024-1004',
    'CVE-2024-1007',
  ]);
  // First v3.1 metric of the CNA container (a non-CVSS metric before it is passed over).
  assert.equal(byId['CVE-2024-1001']?.label, 'critical');
  assert.equal(byId['CVE-2024-1001']?.labelSource, 'cvss-cna');
  assert.equal(byId['CVE-2024-1001']?.cvss?.metrics?.AV, 'N');
  assert.deepEqual(byId['CVE-2024-1001']?.cwes, ['CWE-79']);
  assert.equal(byId['CVE-2024-1001']?.source, 'examplecna');
  // v3.0 when the CNA has no v3.1; a timestamp without zone is read as UTC.
  assert.equal(byId['CVE-2024-1002']?.label, 'medium');
  assert.equal(byId['CVE-2024-1002']?.cvss?.version, '3.0');
  assert.equal(byId['CVE-2024-1002']?.published, '2024-06-15T08:00:00.000Z');
  // ADP container when the CNA has no metric; the ADP's CWE is not used as input.
  assert.equal(byId['CVE-2024-1003']?.label, 'high');
  assert.equal(byId['CVE-2024-1003']?.labelSource, 'cvss-adp');
  assert.equal(byId['CVE-2024-1003']?.labelDetail, 'cvssV3_1 of CISA-ADP');
  assert.deepEqual(byId['CVE-2024-1003']?.cwes, []);
  // No v3 metric anywhere: imported unlabelled.
  assert.equal(byId['CVE-2024-1004']?.label, undefined);
  assert.equal(byId['CVE-2024-1004']?.labelSource, 'none');
  // NONE maps to informational.
  assert.equal(byId['CVE-2024-1007']?.label, 'informational');
  const reasons = skipped.map((s) => s.reason);
  assert.equal(skipped.length, 4);
  assert.match(reasons[0] ?? '', /not valid JSON/);
  assert.equal(skipped[0]?.where.endsWith('cve5-records.jsonl:5'), true);
  assert.ok(reasons.includes('record state is REJECTED'));
  assert.ok(reasons.includes('no English description in the CNA container'));
  assert.ok(reasons.some((r) => /invalid record: \/cveMetadata\/cveId/.test(r)));
});

test('CVE JSON lines compressed with gzip read the same as plain', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-cve5-'));
  try {
    const gz = join(dir, 'records.jsonl.gz');
    await writeFile(gz, gzipSync(await readFile(join(FIX, 'cve5-records.jsonl'))));
    const plain = await collect(importCve5(join(FIX, 'cve5-records.jsonl')));
    const progress: number[] = [];
    const zipped = await collect(importCve5(gz, { onProgress: (p) => progress.push(p.done) }));
    assert.deepEqual(zipped, plain);
    assert.ok(progress.length >= 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a CVE list directory tree is walked in sorted order; other files are ignored, broken ones skipped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-tree-'));
  try {
    await cp(join(FIX, 'cve-tree'), dir, { recursive: true });
    // A truncated record (written here: a broken .json file in the repository would trip the linter).
    await writeFile(join(dir, 'cves', '2024', '1xxx', 'CVE-2024-1009.json'), '{"truncated": ');
    const skipped: SkippedRecord[] = [];
    const docs = await collect(importCve5(dir, { onSkip: (s) => skipped.push(s) }));
    assert.deepEqual(
      docs.map((d) => d.id),
      ['CVE-2023-5001', 'CVE-2024-1001', 'CVE-2024-1002'],
    );
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.where ?? '', /CVE-2024-1009\.json$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a single pretty-printed record file is one document', async () => {
  const docs = await collect(importCve5(join(FIX, 'cve5-single.json')));
  assert.equal(docs.length, 1);
  assert.equal(docs[0]?.id, 'CVE-2024-1001');
});

test('a missing path is a clear CS_ERR_INPUT_UNREADABLE', async () => {
  await assert.rejects(collect(importCve5(join(FIX, 'nope.jsonl'))), { code: 'CS_ERR_INPUT_UNREADABLE' });
});
