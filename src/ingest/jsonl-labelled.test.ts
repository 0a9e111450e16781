import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collect } from './import-documents.js';
import { importLabelledJsonl } from './jsonl-labelled.js';
import type { SkippedRecord } from './labelled-doc.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('labelled JSON lines: severity or label in any case; every bad line skipped with a reason', async () => {
  const skipped: SkippedRecord[] = [];
  const path = join(FIX, 'labelled.jsonl');
  const docs = await collect(importLabelledJsonl(path, { onSkip: (s) => skipped.push(s) }));
  assert.deepEqual(
    docs.map((d) => [d.id, d.label, d.labelSource]),
    [
      ['a1', 'critical', 'given'],
      [`${path}:2`, 'medium', 'given'],
      [`${path}:3`, 'informational', 'given'],
      [`${path}:4`, undefined, 'none'],
    ],
  );
  assert.equal(docs[0]?.source, 'examplecna');
  assert.equal(docs[1]?.published, '2024-09-01T00:00:00.000Z');
  assert.equal(skipped.length, 5);
  assert.match(skipped[0]?.reason ?? '', /unknown severity "urgent"/);
  assert.match(skipped[1]?.reason ?? '', /invalid record/);
  assert.match(skipped[2]?.reason ?? '', /text is blank/);
  assert.match(skipped[3]?.reason ?? '', /not a timestamp/);
  assert.match(skipped[4]?.reason ?? '', /not valid JSON/);
});
