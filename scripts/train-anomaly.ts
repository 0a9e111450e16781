/**
 * Trains the anomaly autoencoder shipped in models/severity/anomaly/ from the
 * CVE descriptions of the training split (../shared/data/cve, published up to
 * and including 2024-05, as ../shared/data/README.md fixes the split).
 *
 * Usage: node --import tsx scripts/train-anomaly.ts [--data FILE] [--features FILE]
 *        [--out DIR] [--epochs N] [--seed N]            (npm run train:anomaly)
 *
 * Feature vectors are computed with the severity model's artefacts
 * (models/severity/features.json) when that file exists, so the score sees the
 * same vectors the service computes; otherwise artefacts are fitted here on the
 * same texts and saved beside the model as features.json (the manifest records
 * which, by SHA-256). Extraction uses the shipped warninglists, as the service
 * does. A seeded sample of the texts (--max-texts, default 18,000 of ~27,000)
 * keeps training well under two minutes. Each text is featurized once with
 * metadata varied as requests vary (seeded): the source is left out for half
 * of the texts, the publication time for half, and the reference time falls
 * 0-30 days (half) or 0-730 days (half) after publication, so missing or
 * fresh metadata alone does not look anomalous.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { saveAnomalyModel, trainAnomalyModel } from '../src/anomaly/index.js';
import { loadWarninglistIndex } from '../src/assets/index.js';
import { mulberry32, systemClock } from '../src/core/index.js';
import { extractIndicators } from '../src/extract/index.js';
import {
  FEATURE_SPEC_VERSION,
  FEATURES_FILE,
  type FeatureArtefacts,
  featurize,
  fitFeatureArtefacts,
  parseFeatureArtefacts,
  serializeFeatureArtefacts,
} from '../src/features/index.js';
import { importCve5 } from '../src/ingest/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const shared = process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(shared, 'cve', 'vulnrichment-cve5.jsonl.gz') },
    features: { type: 'string', default: join(repoRoot, 'models', 'severity', FEATURES_FILE) },
    out: { type: 'string', default: join(repoRoot, 'models', 'severity', 'anomaly') },
    epochs: { type: 'string', default: '10' },
    'max-texts': { type: 'string', default: '18000' },
    seed: { type: 'string', default: '42' },
  },
});
const out = resolve(args.out!);
const epochs = Number(args.epochs);
const seed = Number(args.seed);
const maxTexts = Number(args['max-texts']);
if (
  !Number.isInteger(epochs) ||
  epochs < 1 ||
  !Number.isInteger(seed) ||
  !Number.isInteger(maxTexts) ||
  maxTexts < 100
) {
  console.error('--epochs must be a positive integer, --seed an integer and --max-texts an integer ≥ 100');
  process.exit(2);
}
const TRAIN_LAST_MONTH = '2024-05';
const DAY_MS = 86_400_000;
const started = performance.now();
const log = (msg: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${msg}`);

// 1. Training texts: the train split, exact duplicates removed (a held-out copy of a fitted text would flatter the error table).
const docs: { text: string; source?: string; published: string }[] = [];
const seen = new Set<string>();
let skipped = 0;
let duplicates = 0;
for await (const d of importCve5(resolve(args.data!), { onSkip: () => skipped++ })) {
  if (d.published === undefined || d.published.slice(0, 7) > TRAIN_LAST_MONTH) continue;
  const key = d.text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (seen.has(key)) {
    duplicates++;
    continue;
  }
  seen.add(key);
  docs.push({
    text: d.text,
    published: d.published,
    ...(d.source === undefined ? {} : { source: d.source }),
  });
}
log(`${docs.length} training texts (${duplicates} duplicates and ${skipped} unusable records left out)`);

// 2. A seeded sample of the texts for the autoencoder (keeps training short); the rest can fit artefacts.
const rand = mulberry32(seed);
for (let i = docs.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [docs[i], docs[j]] = [docs[j]!, docs[i]!];
}
const sample = docs.slice(0, maxTexts);
const rest = docs.slice(maxTexts);

// 3. Feature artefacts: the severity model's, else fitted here and shipped beside the anomaly model. Fitted on texts
//    outside the sample when there are enough: vectors of the texts an LSA was fitted on carry more embedding mass
//    than unseen texts, which would make unseen texts look off-topic.
let artefacts: FeatureArtefacts;
let featuresText: string;
let featuresSource: string;
const featuresPath = resolve(args.features!);
if (existsSync(featuresPath)) {
  featuresText = await readFile(featuresPath, 'utf8');
  artefacts = parseFeatureArtefacts(featuresText, featuresPath);
  featuresSource = relative(repoRoot, featuresPath);
  log(`using feature artefacts ${featuresSource}`);
  // A copy fitted by an earlier run would no longer match this model.
  await rm(join(out, FEATURES_FILE), { force: true });
} else {
  log(`${featuresPath} does not exist: fitting feature artefacts on the training texts`);
  const corpus = rest.length >= 2000 ? rest : docs;
  // The features module's defaults (20,000 terms): measured, halving the vocabulary weakens the coverage signal.
  artefacts = fitFeatureArtefacts(corpus, { seed });
  featuresText = serializeFeatureArtefacts(artefacts);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, FEATURES_FILE), featuresText);
  featuresSource = relative(repoRoot, join(out, FEATURES_FILE));
  log(`fitted on ${corpus.length} texts and saved ${featuresSource}`);
}

// 4. Vectors of the sample, with request-like metadata variation (seeded).
const warninglists = await loadWarninglistIndex();
const vectors = sample.map((d) => {
  const keepSource = rand() < 0.5;
  const keepPublished = rand() < 0.5;
  // Half scored within a month of publication (fresh advisories), half within two years.
  const ageDays = rand() < 0.5 ? rand() * 30 : rand() * 730;
  const referenceTime = Date.parse(d.published) + Math.floor(ageDays * DAY_MS);
  return featurize(
    {
      text: d.text,
      ...(keepSource && d.source !== undefined ? { source: d.source } : {}),
      ...(keepPublished ? { published: d.published } : {}),
    },
    { artefacts, referenceTime, extraction: extractIndicators(d.text, { warninglists }) },
  );
});
log(`${vectors.length} feature vectors (a seeded sample of ${docs.length} texts)`);

// 5. The autoencoder.
const trained = await trainAnomalyModel(
  vectors,
  {
    featureSpecVersion: FEATURE_SPEC_VERSION,
    features: { sha256: createHash('sha256').update(featuresText).digest('hex'), source: featuresSource },
    description:
      `CVE descriptions (first English CNA description) of CISA vulnrichment records published up to ${TRAIN_LAST_MONTH} ` +
      `(the fixed train split of ../shared/data/README.md), exact duplicates removed, a seeded sample of ${sample.length} ` +
      `of ${docs.length}; source left out for ~50% and publication time for ~50% of texts, reference time 0-30 days ` +
      `(half) or 0-730 days (half) after publication (seed ${seed})`,
    clock: systemClock,
  },
  {
    epochs,
    seed,
    learningRate: 0.002,
    holdoutFraction: 0.15,
    onEpoch: ({ epoch, loss }) => log(`epoch ${epoch}/${epochs} loss ${loss.toFixed(4)}`),
  },
);
await saveAnomalyModel(out, trained);
trained.network.dispose();
const seconds = (performance.now() - started) / 1000;
log(`saved to ${relative(repoRoot, out)}`);
console.log(
  JSON.stringify({
    out: relative(repoRoot, out),
    texts: docs.length,
    sampled: sample.length,
    fitRows: trained.manifest.trainingData.fitRows,
    holdoutRows: trained.manifest.trainingData.holdoutRows,
    features: featuresSource,
    metrics: trained.manifest.metrics,
    seconds: Number(seconds.toFixed(1)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
