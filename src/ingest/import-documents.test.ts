import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { collect, detectFormat, importDocuments } from './import-documents.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('formats are detected from content, gzip included', async () => {
  assert.equal(await detectFormat(join(FIX, 'cve5-records.jsonl')), 'cve5');
  assert.equal(await detectFormat(join(FIX, 'cve5-single.json')), 'cve5');
  assert.equal(await detectFormat(join(FIX, 'cve-tree')), 'cve5');
  assert.equal(await detectFormat(join(FIX, 'nvd2.json')), 'nvd2');
  assert.equal(await detectFormat(join(FIX, 'stix21-bundle.json')), 'stix21');
  assert.equal(await detectFormat(join(FIX, 'labelled.jsonl')), 'jsonl');
  const dir = await mkdtemp(join(tmpdir(), 'cs-detect-'));
  try {
    const gz = join(dir, 'x.gz');
    await writeFile(gz, gzipSync(await readFile(join(FIX, 'nvd2.json'))));
    assert.equal(await detectFormat(gz), 'nvd2');
    const docs = await collect(importDocuments(gz));
    assert.equal(docs.length, 3);
    const other = join(dir, 'other.txt');
    await writeFile(other, 'just some words\n');
    await assert.rejects(detectFormat(other), { code: 'CS_ERR_INPUT_UNREADABLE' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an explicit format overrides detection', async () => {
  const docs = await collect(importDocuments(join(FIX, 'labelled.jsonl'), { format: 'jsonl' }));
  assert.equal(docs.length, 4);
});

test('a syntax error in a streamed JSON file stops that file with CS_ERR_INPUT_UNREADABLE', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-broken-'));
  try {
    const path = join(dir, 'broken.json');
    await writeFile(
      path,
      '{"type": "bundle", "objects": [{"type": "report", "id": "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"}, {oops',
    );
    await assert.rejects(collect(importDocuments(path, { format: 'stix21' })), {
      code: 'CS_ERR_INPUT_UNREADABLE',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
