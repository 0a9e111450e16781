/**
 * bench/train/knn-mix: does a nearest-neighbour vote over the training CVE
 * texts add anything to the hashed severity model? Validation months only; the
 * test months are not read.
 *
 *   nice -n 10 node --import tsx bench/train/knn-mix.ts [--data ../shared/data] [--seeds 42,43]
 *
 * Per seed: fits the shipped settings on train (no refit), then for every
 * validation record finds its 50 most similar training CVE records (cosine of
 * TF-IDF word 1-2-grams, digits folded, terms in more than 10 % of records
 * skipped), and scores class votes of the k nearest (k 10/25/50, similarity to
 * the power 1 or 3, same-CNA neighbours counted once or three times, smoothed
 * toward the class prior) alone and mixed with the model's probabilities
 * (linear or geometric, weight 0.1..0.5). Every variant is calibrated by
 * temperature before scoring. The mix is chosen on one half of validation
 * (alternate records) and scored on the other, both ways, against the model
 * alone on the same half. Prints one JSON line per seed. About 4 minutes per seed.
 */
import { parseArgs } from 'node:util';
import { type LabelledDoc, SEVERITY_CLASSES, type SeverityClass } from '../../src/ingest/index.js';
import {
  applyCalibration,
  applyOverrides,
  DEFAULT_HASHED_SETTINGS,
  evaluateSeverity,
  fitCalibration,
  fitHashed,
  HASHED_FAMILY,
  HashedTrainSettingsSchema,
  hashedModelOf,
  IDENTITY_CALIBRATION,
  loadSeverityCorpus,
  validationRaw,
} from '../../src/model/index.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    seeds: { type: 'string', default: '42,43' },
  },
});
const seeds = args.seeds!.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds: integers, got ${args.seeds}`);

const corpus = await loadSeverityCorpus(args.data!, { seed: DEFAULT_HASHED_SETTINGS.seed });
const memory = corpus.train.filter((d) => d.labelSource.startsWith('cvss') && d.label !== undefined);
const validation = corpus.validation;
const truth = validation.map((d) => d.label ?? 'medium') as SeverityClass[];
process.stderr.write(`memory ${memory.length} training CVE records, validation ${validation.length}\n`);

const WORD = /[\p{L}\p{N}]+(?:['._-][\p{L}\p{N}]+)*/gu;
function terms(text: string): string[] {
  const words = (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/\d+/g, '0'));
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}

const df = new Map<string, number>();
const memoryTerms = memory.map((d) => {
  const ts = terms(d.text);
  for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  return ts;
});
const N = memory.length;
/** L2-normalised TF-IDF (sublinear tf) over the terms the memory knows. */
function tfidf(ts: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of ts) if (df.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v = new Map<string, number>();
  let sq = 0;
  for (const [t, c] of tf) {
    const w = (1 + Math.log(c)) * Math.log(N / df.get(t)!);
    v.set(t, w);
    sq += w * w;
  }
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (const [t, w] of v) v.set(t, w * inv);
  return v;
}
const postings = new Map<string, { doc: number; w: number }[]>();
memoryTerms.forEach((ts, doc) => {
  for (const [t, w] of tfidf(ts)) {
    let p = postings.get(t);
    if (p === undefined) {
      p = [];
      postings.set(t, p);
    }
    p.push({ doc, w });
  }
});
const MAX_DF = 0.1 * N;
const NEIGHBOURS = 50;
const neighbours = validation.map((d) => {
  const scores = new Map<number, number>();
  for (const [t, w] of tfidf(terms(d.text))) {
    if (df.get(t)! > MAX_DF) continue;
    for (const p of postings.get(t)!) scores.set(p.doc, (scores.get(p.doc) ?? 0) + w * p.w);
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).slice(0, NEIGHBOURS);
});

const classOf = (c: SeverityClass) => SEVERITY_CLASSES.indexOf(c);
const prior = SEVERITY_CLASSES.map((c) => memory.filter((d) => d.label === c).length / N);
function knnProbabilities(k: number, power: number, sameSource: number, alpha = 0.5): number[][] {
  return validation.map((d, i) => {
    const p = prior.map((x) => alpha * x);
    let total = alpha;
    for (const [j, s] of neighbours[i]!.slice(0, k)) {
      const m = memory[j] as LabelledDoc;
      const w = Math.max(s, 0) ** power * (m.source === d.source ? sameSource : 1);
      p[classOf(m.label!)]! += w;
      total += w;
    }
    return p.map((x) => Math.max(x / total, 1e-4));
  });
}

/** Four-class figures of `probs` on the records where `on` is true, after a temperature fitted on them. */
function figures(probs: readonly number[][], on: readonly boolean[]) {
  const t = truth.filter((_, i) => on[i]);
  const p = probs.filter((_, i) => on[i]);
  const cal = fitCalibration(p, t, { tuneOffsets: false });
  const e = evaluateSeverity(
    t,
    p.map((x) => applyCalibration(x, cal)),
    { classes: 4 },
  );
  return { accuracy: e.accuracy, macroF1: e.macroF1, score: (e.accuracy + e.macroF1) / 2 };
}
const all = validation.map(() => true);
const halves = [validation.map((_, i) => i % 2 === 0), validation.map((_, i) => i % 2 === 1)] as const;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

for (const seed of seeds) {
  const { settings, problems } = applyOverrides(
    DEFAULT_HASHED_SETTINGS,
    { refitOnValidation: 'false', seed: String(seed) },
    HashedTrainSettingsSchema,
  );
  if (problems.length > 0) throw new Error(problems.join('; '));
  process.stderr.write(`seed ${seed}: fitting on train\n`);
  const fit = fitHashed(corpus.train, settings, {
    onEpoch: (e) => process.stderr.write(`  epoch ${e.epoch}/${e.epochs}\n`),
  });
  const model = hashedModelOf(fit, IDENTITY_CALIBRATION, { family: HASHED_FAMILY, version: 'knn-mix' });
  const raw = validationRaw(model, validation).raw.map((r) => Array.from(r));
  const variants: { name: string; probs: number[][] }[] = [];
  const knnAlone: Record<string, ReturnType<typeof figures>> = {};
  for (const k of [10, 25, 50])
    for (const power of [1, 3])
      for (const sameSource of [1, 3]) {
        const name = `k=${k} power=${power} sameSource=${sameSource}`;
        const kp = knnProbabilities(k, power, sameSource);
        knnAlone[name] = figures(kp, all);
        for (const weight of [0.1, 0.2, 0.3, 0.4, 0.5]) {
          variants.push({
            name: `${name} linear ${weight}`,
            probs: raw.map((r, i) => r.map((x, c) => (1 - weight) * x + weight * kp[i]![c]!)),
          });
          variants.push({
            name: `${name} geometric ${weight}`,
            probs: raw.map((r, i) => {
              const l = r.map((x, c) =>
                Math.exp((1 - weight) * Math.log(Math.max(x, 1e-6)) + weight * Math.log(kp[i]![c]!)),
              );
              const s = l.reduce((a, b) => a + b, 0);
              return l.map((x) => x / s);
            }),
          });
        }
      }
  const crossFitted = ([0, 1] as const).map((a) => {
    const b = 1 - a;
    const best = variants
      .map((v) => ({ v, score: figures(v.probs, halves[a]).score }))
      .sort((x, y) => y.score - x.score)[0]!;
    const mix = figures(best.v.probs, halves[b]!);
    const alone = figures(raw, halves[b]!);
    return {
      chosenOn: a,
      scoredOn: b,
      variant: best.v.name,
      mix: { accuracy: r4(mix.accuracy), macroF1: r4(mix.macroF1) },
      modelAlone: { accuracy: r4(alone.accuracy), macroF1: r4(alone.macroF1) },
    };
  });
  const bestKnn = Object.entries(knnAlone).sort((x, y) => y[1].score - x[1].score)[0]!;
  const bestOnAll = variants
    .map((v) => ({ name: v.name, ...figures(v.probs, all) }))
    .sort((x, y) => y.score - x.score)[0]!;
  const alone = figures(raw, all);
  console.log(
    JSON.stringify({
      seed,
      modelAlone: { accuracy: r4(alone.accuracy), macroF1: r4(alone.macroF1) },
      bestKnnAlone: {
        variant: bestKnn[0],
        accuracy: r4(bestKnn[1].accuracy),
        macroF1: r4(bestKnn[1].macroF1),
      },
      bestMixOnAllValidation: {
        variant: bestOnAll.name,
        accuracy: r4(bestOnAll.accuracy),
        macroF1: r4(bestOnAll.macroF1),
      },
      crossFitted,
    }),
  );
}
