/**
 * Exploration harness for the technique model: trains variants on the training reports
 * and prints their validation figures (threshold tuned on pooled validation spans and
 * sentences, as the shipped trainer does). Never looks at the test reports.
 *
 *   nice -n 10 node --import tsx bench/techniques/explore.ts [--data ../shared/data] [--only a,b]
 */
import { parseArgs } from 'node:util';
import { trainBaseline } from '../../src/attack/baseline.js';
import { fitClassifier, fitHiddenClassifier } from '../../src/attack/classifier.js';
import { parseTrainingSettings } from '../../src/attack/settings.js';
import type { ScoredRows } from '../../src/attack/thresholds.js';
import { loadValidationSplit, pooledFigures, scoredRows } from './validation-split.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    only: { type: 'string' },
    cache: { type: 'string', default: '.tmp/technique-cache' },
    // name:key=value;key=value (training settings, and `seed`), repeatable
    variant: { type: 'string', multiple: true, default: [] },
    mix: { type: 'string', multiple: true, default: [] },
  },
});
const { corpus, settings: base, split, val } = loadValidationSplit(values.data as string, values.cache);
const labels = corpus.labels;
const K = labels.length;
type Scorer = (text: string) => Float32Array;

const rows = (examples: Parameters<typeof scoredRows>[0], score: Scorer) =>
  scoredRows(examples, labels, score);
function report(name: string, spans: ScoredRows, sentences: ScoredRows, ms: number): void {
  console.log(
    JSON.stringify({
      variant: name,
      ...pooledFigures(spans, sentences, K, base.maxPerSentence),
      seconds: Math.round(ms / 1000),
    }),
  );
}
const cache = new Map<string, { spans: ScoredRows; sentences: ScoredRows }>();
function run(name: string, make: () => Scorer): void {
  if (values.only !== undefined && !values.only.split(',').includes(name) && !name.startsWith('mix')) return;
  const t0 = performance.now();
  const score = make();
  const r = { spans: rows(val.spans, score), sentences: rows(val.sentences, score) };
  cache.set(name, r);
  report(name, r.spans, r.sentences, performance.now() - t0);
}
function mix(name: string, a: string, b: string, w: number): void {
  const A = cache.get(a);
  const B = cache.get(b);
  if (A === undefined || B === undefined) return;
  const m = (x: ScoredRows, y: ScoredRows): ScoredRows => ({
    labels: x.labels,
    scores: x.scores.map((s, i) =>
      Float32Array.from(
        s as Float32Array,
        (v, k) => w * v + (1 - w) * ((y.scores[i] as Float32Array)[k] as number),
      ),
    ),
  });
  report(name, m(A.spans, B.spans), m(A.sentences, B.sentences), 0);
}
const fit = (over: Record<string, string>, seed = 42): Scorer => {
  const settings = parseTrainingSettings(over);
  // Training progress to stderr; the figures are the JSON lines on stdout.
  const log = (line: string) => console.error(line);
  return settings.hidden > 0
    ? fitHiddenClassifier(split.train, labels, settings, seed, log).score
    : fitClassifier(split.train, labels, settings, seed, log).score;
};

const variants: Record<string, () => Scorer> = {
  current: () => fit({}),
  baseline: () => trainBaseline(split.train, labels, base, 42).score,
  seed7: () => fit({}, 7),
  seed99: () => fit({}, 99),
};
for (const extra of values.variant as string[]) {
  const [name, spec] = extra.split(':');
  const over = Object.fromEntries(
    (spec ?? '')
      .split(';')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
  // `seed` is the training seed of the variant (default 42), not a training setting.
  const { seed, ...settings } = over;
  variants[name as string] = () => fit(settings, seed === undefined ? 42 : Number(seed));
}
for (const [name, make] of Object.entries(variants)) run(name, make);
for (const m of values.mix as string[]) {
  // a,b,weight of a
  const [a, b, w] = m.split(',');
  mix(`mix-${a}-${b}-${w}`, a as string, b as string, Number(w));
}
mix('mix-current-baseline-0.5', 'current', 'baseline', 0.5);
mix('mix-current-baseline-0.7', 'current', 'baseline', 0.7);
mix('mix-current-seed7-0.5', 'current', 'seed7', 0.5);
