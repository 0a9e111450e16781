/**
 * Does the technique model still gain from more annotated reports? Trains the shipped
 * settings on all training reports and on the training reports minus a random subset holding
 * about as many TRAM spans as validation does, and prints the validation figures of each
 * (threshold tuned on pooled validation spans and sentences, as the trainer does). If
 * dropping that many reports costs validation micro-F1, adding the validation reports to the
 * final fit is expected to gain on test. Never looks at the test reports.
 *
 *   nice -n 10 node --import tsx bench/techniques/learning-curve.ts [--data ../shared/data]
 *        [--subsets 3] [--seeds 42,7]
 */
import { parseArgs } from 'node:util';
import { fitClassifier } from '../../src/attack/classifier.js';
import type { LabelledUnit } from '../../src/attack/data/corpus.js';
import { createRng, shuffleInPlace } from '../../src/attack/rng.js';
import { loadValidationSplit, pooledFigures, scoredRows } from './validation-split.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    cache: { type: 'string', default: '.tmp/technique-cache' },
    subsets: { type: 'string', default: '3' },
    seeds: { type: 'string', default: '42,7' },
  },
});
const subsets = Number(values.subsets);
const seeds = (values.seeds as string).split(',').map(Number);
if (!Number.isInteger(subsets) || subsets < 1 || seeds.some((s) => !Number.isInteger(s))) {
  console.error('--subsets must be a positive integer and --seeds a comma-separated list of integers');
  process.exit(2);
}
const { corpus, settings, split, val } = loadValidationSplit(values.data as string, values.cache);
const labels = corpus.labels;
const validationSpans = split.validation.filter((u) => u.source === 'tram-span').length;

const spansOf = new Map<string, number>();
for (const u of split.train)
  if (u.report !== null && u.source === 'tram-span') spansOf.set(u.report, (spansOf.get(u.report) ?? 0) + 1);
const trainReports = [...spansOf.keys()].sort();

function measure(name: string, units: readonly LabelledUnit[], seed: number, dropped: number): void {
  const t0 = performance.now();
  const score = fitClassifier(units, labels, settings, seed).score;
  const figures = pooledFigures(
    scoredRows(val.spans, labels, score),
    scoredRows(val.sentences, labels, score),
    labels.length,
    settings.maxPerSentence,
  );
  console.log(
    JSON.stringify({
      run: name,
      seed,
      droppedReports: dropped,
      trainingUnits: units.length,
      ...figures,
      seconds: Math.round((performance.now() - t0) / 1000),
    }),
  );
}

console.error(
  `learning curve: ${trainReports.length} training reports with spans, validation holds ${validationSpans} spans`,
);
for (const seed of seeds) measure('all training reports', split.train, seed, 0);
for (let s = 0; s < subsets; s++) {
  const order = shuffleInPlace([...trainReports], createRng(1000 + s));
  const drop = new Set<string>();
  let spans = 0;
  for (const r of order) {
    if (spans >= validationSpans) break;
    drop.add(r);
    spans += spansOf.get(r) ?? 0;
  }
  const units = split.train.filter((u) => u.report === null || !drop.has(u.report));
  for (const seed of seeds) measure(`without subset ${s + 1} (${spans} spans)`, units, seed, drop.size);
}
