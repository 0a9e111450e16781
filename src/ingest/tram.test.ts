import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SkippedRecord } from './labelled-doc.js';
import { importTramAnnotatedReports, type ReportSentence, sentenceSpans } from './tram.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('sentence spans split at line breaks and sentence ends', () => {
  const text = 'First one. Second one!\nThird line without stop\n\n  Fourth? yes.';
  assert.deepEqual(
    sentenceSpans(text).map(([a, b]) => text.slice(a, b)),
    ['First one.', 'Second one!', 'Third line without stop', 'Fourth? yes.'],
  );
});

test('TRAM annotated reports: sentences carry the techniques whose spans overlap them', async () => {
  const skipped: SkippedRecord[] = [];
  const out: ReportSentence[] = [];
  for await (const s of importTramAnnotatedReports(join(FIX, 'tram-annotated.jsonl'), {
    onSkip: (x) => skipped.push(x),
  })) {
    out.push(s);
  }
  assert.deepEqual(
    out.map((s) => [s.text, s.techniques]),
    [
      ['title: Example intrusion', []],
      ['The actor sent a phishing email with a malicious attachment.', ['T1566.001']],
      ['The weather was nice that week.', []],
      ['Our team thanks the partners for their help.', []],
      ['Persistence was set with a Run key.', ['T1547.001']],
    ],
  );
  assert.equal(skipped.length, 1);
});
