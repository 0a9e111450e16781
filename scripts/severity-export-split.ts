/**
 * Writes one part of the severity task's fixed split as JSON lines in the
 * `cyberstreams eval --task severity` format, so every figure on it can be
 * reproduced with the CLI:
 *
 *   node --import tsx scripts/severity-export-split.ts [--data ../shared/data]
 *        [--split test|validation] [--out .tmp/severity-test.jsonl]
 *   node bin/cyberstreams.js eval --task severity --data .tmp/severity-test.jsonl --model models/severity
 *
 * Each line: {id, text, severity, source, published, cwes}. The file is derived
 * from the CVE records (CC0) and stays out of the repository (.tmp is ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSeverityCorpus } from '../src/model/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    split: { type: 'string', default: 'test' },
    out: { type: 'string' },
  },
});
if (values.split !== 'test' && values.split !== 'validation')
  throw new Error('--split must be test or validation');
const out = values.out ?? `.tmp/severity-${values.split}.jsonl`;
// Weak examples are added to train only; they do not change validation or test.
const corpus = await loadSeverityCorpus(values.data, { seed: 42, maxWeakInformational: 0 });
const docs = values.split === 'test' ? corpus.test : corpus.validation;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  docs
    .map((d) =>
      JSON.stringify({
        id: d.id,
        text: d.text,
        severity: d.label,
        source: d.source,
        published: d.published,
        cwes: d.cwes,
      }),
    )
    .join('\n') + '\n',
);
process.stderr.write(`${docs.length} ${values.split} examples written to ${out}\n`);
