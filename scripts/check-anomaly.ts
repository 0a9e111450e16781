/**
 * Data check of the shipped anomaly model: CVE descriptions of the test split
 * (published from 2024-08, never seen in training) must score like training
 * texts (median ≤ 0.75, at most 5% at ≥ 0.99), random characters must score
 * ≥ 0.99 and cooking recipes above the 90th percentile of those CVE
 * descriptions. Exits 1 when a check fails; prints the figures as one JSON line.
 *
 * Usage: node --import tsx scripts/check-anomaly.ts [--model DIR] [--data FILE]
 * (run by .ci/data-checks/anomaly.sh)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAnomalyFeatures, loadAnomalyModel } from '../src/anomaly/index.js';
import { loadWarninglistIndex } from '../src/assets/index.js';
import { extractIndicators } from '../src/extract/index.js';
import { featurize } from '../src/features/index.js';
import { importCve5 } from '../src/ingest/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const shared = process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data');
const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: join(repoRoot, 'models', 'severity', 'anomaly') },
    data: { type: 'string', default: join(shared, 'cve', 'vulnrichment-cve5.jsonl.gz') },
  },
});
const modelDir = resolve(args.model!);
const model = await loadAnomalyModel(modelDir);
// The artefacts the model was trained with (its own copy or the severity model's, matched by SHA-256).
const artefacts = await loadAnomalyFeatures(modelDir, model);
const warninglists = await loadWarninglistIndex();
const now = Date.parse('2025-01-01T00:00:00Z');
const details = (doc: { text: string; source?: string; published?: string }, referenceTime = now) =>
  model.details(
    featurize(doc, { artefacts, referenceTime, extraction: extractIndicators(doc.text, { warninglists }) }),
  );
const score = (doc: { text: string; source?: string; published?: string }, referenceTime = now) =>
  details(doc, referenceTime).score;

const cve: number[] = [];
const cveWithMeta: number[] = [];
let n = 0;
for await (const d of importCve5(resolve(args.data!))) {
  if (d.published === undefined || d.published.slice(0, 7) < '2024-08') continue;
  // Every 4th test-split record keeps the check quick (about 2,000 texts).
  if (n++ % 4 !== 0) continue;
  cve.push(score({ text: d.text }));
  cveWithMeta.push(
    score(
      { text: d.text, published: d.published, ...(d.source === undefined ? {} : { source: d.source }) },
      Date.parse(d.published),
    ),
  );
}

const fixtures = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'fixtures', 'explain', 'out-of-distribution.json'), 'utf8'),
) as { recipes: string[]; other: string[] };
function randomCharacters(length: number, seed: number): string {
  const alphabet =
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !@#$%^&*()_+-=[]{};:,./<>?';
  let s = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[s % alphabet.length];
  }
  return out;
}
const round = (x: number | null) => (x === null ? null : Number(x.toFixed(4)));
const parts = (text: string) => {
  const d = details({ text });
  return { score: round(d.score), errorLevel: round(d.errorLevel), coverageLevel: round(d.coverageLevel) };
};
const random = Array.from({ length: 10 }, (_, i) => parts(randomCharacters(100 + 80 * i, i + 1)));
const recipes = fixtures.recipes.map(parts);
const other = fixtures.other.map(parts);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const share = (xs: number[], t: number) => xs.filter((x) => x >= t).length / xs.length;
const figures = {
  model: modelDir,
  cveTexts: cve.length,
  cveMedian: quantile(cve, 0.5),
  cveP90: quantile(cve, 0.9),
  cveShareAtLeast099: share(cve, 0.99),
  cveWithMetadataMedian: quantile(cveWithMeta, 0.5),
  cveWithMetadataShareAtLeast099: share(cveWithMeta, 0.99),
  randomCharacters: random,
  recipes,
  other,
};
console.log(JSON.stringify(figures));

// Thresholds: unseen CVE descriptions should look like training texts (median near 0.5, few at the top); random
// characters beyond every training text; recipes (off-topic prose) above 90% of the unseen CVE descriptions.
const failures: string[] = [];
if (random.some((r) => r.score! < 0.99)) failures.push('a random-character text scored below 0.99');
if (recipes.some((r) => r.score! <= figures.cveP90)) {
  failures.push(`a recipe scored at or below the CVE 90th percentile ${figures.cveP90}`);
}
if (figures.cveMedian > 0.75) failures.push(`test-split CVE median score ${figures.cveMedian} > 0.75`);
if (figures.cveShareAtLeast099 > 0.05) {
  failures.push(`${figures.cveShareAtLeast099} of test-split CVEs score ≥ 0.99 (> 5%)`);
}
if (failures.length > 0) {
  console.error(`anomaly check FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.error('anomaly check passed');
