/**
 * Builds the self-learning loop's fixed gate holdout,
 * `assets/learning/gate-holdout.jsonl.gz`: a deterministic sample of the
 * severity task's TEST split (CVE records published from 2024-08, labelled by
 * CVSS v3 base severity; see ../shared/data/README.md). The promotion gate
 * scores the active model and every retrained candidate on it. The test
 * months are used because the shipped model is refitted on train+validation,
 * so validation texts are not held out from it (docs/adr/0005-gate-holdout.md).
 *
 *   nice -n 10 node --import tsx scripts/build-gate-holdout.ts [--data ../shared/data] [--size 2000]
 *
 * Each line: {id, text, severity, source, published}. Derived from CVE records
 * (CISA vulnrichment, CC0 1.0); see NOTICE.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { defaultAssetsDir } from '../src/assets/index.js';
import { loadSeverityCorpus, SEVERITY_CLASSES } from '../src/model/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    size: { type: 'string', default: '2000' },
    out: { type: 'string', default: join(defaultAssetsDir(), 'learning', 'gate-holdout.jsonl.gz') },
  },
});
const size = Number(values.size);
if (!Number.isInteger(size) || size < 100) throw new Error('--size must be an integer >= 100');
const corpus = await loadSeverityCorpus(values.data, { seed: 42, maxWeakInformational: 0 });
const rank = (id: string) => createHash('sha256').update(`gate-holdout\u0000${id}`).digest('hex');
// A fixed pseudo-random order (hash of the id), then the first `size`: the class mix of the test months is kept.
const sample = [...corpus.test].sort((a, b) => rank(a.id).localeCompare(rank(b.id))).slice(0, size);
sample.sort((a, b) => a.id.localeCompare(b.id));
const lines = sample.map((d) =>
  JSON.stringify({ id: d.id, text: d.text, severity: d.label, source: d.source, published: d.published }),
);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
const counts = Object.fromEntries(
  SEVERITY_CLASSES.map((c) => [c, sample.filter((d) => d.label === c).length]),
);
process.stderr.write(
  `${sample.length} of ${corpus.test.length} test examples written to ${values.out}: ${JSON.stringify(counts)}\n`,
);
