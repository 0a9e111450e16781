import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collect } from './import-documents.js';
import type { SkippedRecord } from './labelled-doc.js';
import { importNvd2 } from './nvd2.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('NVD API 2.0: the CNA score first, else the primary; CNA weaknesses; rejected and malformed skipped', async () => {
  const skipped: SkippedRecord[] = [];
  const docs = await collect(importNvd2(join(FIX, 'nvd2.json'), { onSkip: (s) => skipped.push(s) }));
  assert.deepEqual(
    docs.map((d) => d.id),
    ['CVE-2024-2001', 'CVE-2024-2002', 'CVE-2024-2004'],
  );
  const [a, b, c] = docs;
  assert.equal(a?.label, 'critical');
  assert.equal(a?.labelSource, 'cvss-cna-via-nvd');
  assert.deepEqual(a?.cwes, ['CWE-122']);
  assert.match(a?.text ?? '', /^Heap overflow/);
  assert.equal(a?.published, '2024-08-05T15:15:10.000Z');
  assert.equal(b?.label, 'medium');
  assert.equal(b?.labelSource, 'cvss-nvd');
  assert.equal(b?.cvss?.version, '3.0');
  assert.deepEqual(b?.cwes, ['CWE-284']);
  assert.equal(c?.label, undefined);
  assert.equal(skipped.length, 2);
  assert.equal(skipped[0]?.reason, 'record status is Rejected');
  assert.match(skipped[1]?.reason ?? '', /^invalid record: \/cve\/id/);
  assert.equal(skipped[0]?.where.endsWith('#vulnerabilities[2]'), true);
});
