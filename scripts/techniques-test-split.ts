/**
 * Writes the evaluation split of the technique model as JSON lines in the
 * `eval --task techniques` format, so that its figures can be reproduced:
 *
 *   node --import tsx scripts/techniques-test-split.ts [--data-dir ../shared/data]
 *     [--model models/techniques] [--out .tmp/techniques-split]
 *
 * Writes test-spans.jsonl, test-sentences.jsonl, validation-spans.jsonl and
 * validation-sentences.jsonl. The split is rebuilt from the data and the split
 * settings in the model's manifest; the data must be the one the model was trained on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTechniqueManifest, rebuildEvaluationSets } from '../src/attack/index.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    model: { type: 'string', default: 'models/techniques' },
    out: { type: 'string', default: '.tmp/techniques-split' },
  },
});
const manifest = readTechniqueManifest(values.model);
const sets = rebuildEvaluationSets(values['data-dir'], manifest);
mkdirSync(values.out, { recursive: true });
for (const part of ['validation', 'test'] as const) {
  for (const kind of ['spans', 'sentences'] as const) {
    const path = join(values.out, `${part}-${kind}.jsonl`);
    const rows = sets[part][kind];
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    process.stderr.write(`wrote ${rows.length} lines to ${path}\n`);
  }
}
