import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../core/index.js';
import { loadKevCatalogue } from './kev.js';
import { compareCve, kevFileFromCisa, serializeKevFile } from './kev-format.js';

const SAMPLE = fileURLToPath(new URL('../../test/fixtures/explain/kev-sample.json', import.meta.url));

test('the derived KEV file loads and answers by CVE id in any case', async () => {
  const kev = await loadKevCatalogue(SAMPLE);
  assert.equal(kev.size, 4);
  assert.equal(kev.catalogVersion, '2025.08.25');
  const log4j = kev.get(' cve-2021-44228 ');
  assert.equal(log4j?.product, 'Log4j2');
  assert.equal(log4j?.ransomware, true);
  assert.equal(kev.get('CVE-2025-48384')?.ransomware, false);
  assert.equal(kev.get('CVE-2024-0001'), undefined);
});

test('CISA entries convert to the derived format, sorted numerically and de-duplicated', () => {
  const entry = (cveID: string, ransomware: string) => ({
    cveID,
    vendorProject: 'V',
    product: 'P',
    vulnerabilityName: 'N',
    dateAdded: '2024-01-02',
    dueDate: '2024-01-23',
    knownRansomwareCampaignUse: ransomware,
  });
  const file = kevFileFromCisa(
    {
      catalogVersion: '1',
      dateReleased: '2024-01-02',
      vulnerabilities: [
        entry('CVE-2021-10000', 'Known'),
        entry('CVE-2021-9999', 'Unknown'),
        entry('CVE-2021-9999', 'Known'),
      ],
    },
    'test',
  );
  assert.deepEqual(
    file.entries.map((e) => [e.cve, e.ransomware]),
    [
      ['CVE-2021-9999', false],
      ['CVE-2021-10000', true],
    ],
  );
  assert.ok(compareCve('CVE-2020-99999', 'CVE-2021-1') < 0);
  const text = serializeKevFile(file);
  assert.deepEqual(JSON.parse(text), file);
  assert.equal(text.split('\n').length, 5, 'one line per entry plus head and tail');
});

test('a missing, malformed or invalid KEV file gets a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kev-'));
  try {
    await assert.rejects(loadKevCatalogue(join(dir, 'none.json')), (e: unknown) =>
      isAppError(e, 'CS_ERR_ASSET_MISSING'),
    );
    await writeFile(join(dir, 'bad.json'), '{not json');
    await assert.rejects(loadKevCatalogue(join(dir, 'bad.json')), (e: unknown) =>
      isAppError(e, 'CS_ERR_ARTEFACT_INVALID'),
    );
    await writeFile(
      join(dir, 'wrong.json'),
      JSON.stringify({ format: 'cyberstreams-kev', formatVersion: 1, entries: [{ cve: 'nope' }] }),
    );
    await assert.rejects(loadKevCatalogue(join(dir, 'wrong.json')), (e: unknown) => {
      return isAppError(e, 'CS_ERR_ARTEFACT_INVALID') && /entries\/0/.test(e.message);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
