import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collect } from './import-documents.js';
import type { SkippedRecord } from './labelled-doc.js';
import { importStix21 } from './stix21.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('STIX 2.1: report, vulnerability and indicator descriptions; labels when the producer gives them', async () => {
  const skipped: SkippedRecord[] = [];
  const docs = await collect(
    importStix21(join(FIX, 'stix21-bundle.json'), { onSkip: (s) => skipped.push(s) }),
  );
  assert.deepEqual(
    docs.map((d) => d.id.split('--')[0]),
    ['vulnerability', 'report', 'indicator'],
  );
  const [vuln, report, indicator] = docs;
  assert.equal(vuln?.label, 'critical');
  assert.equal(vuln?.labelSource, 'given');
  assert.deepEqual(vuln?.cwes, ['CWE-78']);
  assert.equal(vuln?.source, 'identity--e5f1b90a-d9b6-40ab-81a9-8a29df4b6b65');
  assert.equal(report?.label, undefined);
  assert.equal(report?.published, '2024-09-03T00:00:00.000Z');
  assert.equal(indicator?.label, 'high');
  assert.deepEqual(
    skipped.map((s) => s.reason),
    ['indicator has no description', 'object is revoked or deprecated'],
  );
});

test('STIX 2.1: other object types on request', async () => {
  const docs = await collect(importStix21(join(FIX, 'stix21-bundle.json'), { types: ['identity'] }));
  assert.equal(docs.length, 0); // the identity has no description: skipped, not imported
});
