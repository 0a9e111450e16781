/**
 * bench/explain/levels.ts: CPU per prediction of the service predictor at
 * each explanation level (`explain: none | words | shapley`), with the shipped
 * models, on typical CVE descriptions (test split, 300-500 characters), next
 * to the severity model's own prediction measured in the same run.
 *
 * Usage: nice -n 10 node --import tsx bench/explain/levels.ts [--data FILE] [--texts N] [--shapley-texts N]
 *   --texts          texts for the none/words levels (default 200)
 *   --shapley-texts  texts for the shapley level (default 60; it costs ~100x more)
 *
 * Also: the hashed model's incremental leave-one-out against plain
 * re-prediction of every occluded text (cost and largest difference), the
 * Shapley additivity residual seen in the answers, and how often the default
 * level's top-5 words agree with the Shapley level's. Without the data file it
 * prints "skipped" and exits 0.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ExplainLevel, PredictorOutput } from '../../src/http/index.js';
import { loadServicePredictor } from '../../src/main/load-predictor.js';
import {
  HashedSeverityModel,
  leaveOneOutOcclusion,
  loadSeverityModel,
  readManifest,
  removeToken,
  type SeverityModel,
} from '../../src/model/index.js';
import { CVE_FILE, cpuMs, machine, quantile, round } from '../shared-data.js';
import { typicalTestTexts } from './typical-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: CVE_FILE,
    },
    texts: { type: 'string', default: '200' },
    'shapley-texts': { type: 'string', default: '60' },
  },
});
if (!existsSync(args.data!)) {
  console.log(`bench/explain/levels: skipped, no CVE data at ${args.data} (set SHARED_DATA or --data)`);
  process.exit(0);
}
const count = Number(args.texts);
const shapleyCount = Number(args['shapley-texts']);
const load0 = loadavg()[0]!;

const q = quantile;
const r = round;

const texts = await typicalTestTexts(args.data!, count);

const models = join(repoRoot, 'models');
const parts = await loadServicePredictor({ MODELS_DIR: models }, pino({ level: 'warn' }));
const results: Record<string, unknown> = {
  machine: {
    ...machine(),
    loadStart: r(load0, 1),
  },
  texts: texts.length,
  shapleyTexts: Math.min(shapleyCount, texts.length),
  meanChars: r(texts.reduce((s, t) => s + t.length, 0) / texts.length, 0),
};

type Predict = (text: string, explain: ExplainLevel) => PredictorOutput;

/** CPU ms per text of `fn` over `xs` (after one warm-up pass over the first 20), with wall p50/p95. */
function time(xs: readonly string[], fn: (t: string) => void) {
  for (const t of xs.slice(0, 20)) fn(t);
  const wall: number[] = [];
  const ms =
    cpuMs(() => {
      for (const t of xs) {
        const t0 = performance.now();
        fn(t);
        wall.push(performance.now() - t0);
      }
    }) / xs.length;
  return { cpuMs: r(ms, 3), wallP50Ms: r(q(wall, 0.5), 2), wallP95Ms: r(q(wall, 0.95), 2) };
}

function topSet(out: PredictorOutput, k: number): Set<number> {
  return new Set((out.explanation?.words?.top ?? []).slice(0, k).map((w) => w.start));
}

function levels(name: string, model: SeverityModel, predict: Predict) {
  const row: Record<string, unknown> = { model: name };
  row.modelPredict = time(texts, (t) => model.predict({ text: t }));
  row.none = time(texts, (t) => predict(t, 'none'));
  row.words = time(texts, (t) => predict(t, 'words'));
  const few = texts.slice(0, shapleyCount);
  row.shapley = time(few, (t) => predict(t, 'shapley'));
  // Additivity of the answers (rounded JSON figures) and agreement of the two levels' top words.
  let residual = 0;
  let familyResidual = 0;
  let overlap = 0;
  for (const t of few) {
    const s = predict(t, 'shapley');
    const w = s.explanation?.words;
    if (w?.baseValue !== undefined) {
      const sum = w.baseValue + w.top.reduce((a, b) => a + b.value, 0) + (w.otherValue ?? 0);
      residual = Math.max(residual, Math.abs(sum - s.probabilities[s.severity]));
    }
    const f = s.explanation?.families;
    if (f !== undefined) {
      const sum = f.baseValue + f.values.reduce((a, b) => a + b.value, 0);
      familyResidual = Math.max(familyResidual, Math.abs(sum - s.probabilities[s.severity]));
    }
    const a = topSet(predict(t, 'words'), 5);
    const b = topSet(s, 5);
    overlap += [...a].filter((x) => b.has(x)).length / Math.max(1, Math.min(5, b.size));
  }
  row.shapleyWordResidualMax = residual;
  if (familyResidual > 0 || model.ref.family === 'tfjs-mlp') row.familyResidualMax = familyResidual;
  row.top5OverlapWordsVsShapley = r(overlap / few.length, 2);
  return row;
}

const shipped = await loadSeverityModel(join(models, 'severity'));
const rows: Record<string, unknown>[] = [];
rows.push(
  levels(`shipped ${shipped.ref.family} ${shipped.ref.version}`, shipped, (text, explain) =>
    parts.predictor.predict({ text, explain }),
  ),
);

// The incremental leave-one-out against re-predicting every occluded text.
if (shipped instanceof HashedSeverityModel) {
  let maxDiff = 0;
  let tokens = 0;
  let fallbacks = 0;
  const few = texts.slice(0, 50);
  const fast = time(few, (t) => {
    leaveOneOutOcclusion(shipped, { text: t });
  });
  const slow = time(few, (t) => {
    const loo = leaveOneOutOcclusion(shipped, { text: t });
    if (loo === undefined) return;
    for (const tok of loo.tokens) shipped.predict({ text: removeToken(t, tok.start, tok.end) });
  });
  for (const t of few) {
    const loo = leaveOneOutOcclusion(shipped, { text: t });
    if (loo === undefined) {
      fallbacks++;
      continue;
    }
    tokens += loo.tokens.length;
    loo.tokens.forEach((tok, i) => {
      const p = shipped.predict({ text: removeToken(t, tok.start, tok.end) }).probabilities;
      for (let c = 0; c < p.length; c++) maxDiff = Math.max(maxDiff, Math.abs(p[c]! - loo.without[i]![c]!));
    });
  }
  results.leaveOneOut = {
    texts: few.length,
    tokensMean: r(tokens / Math.max(1, few.length - fallbacks), 1),
    refused: fallbacks,
    incremental: fast,
    incrementalPlusRePredictEveryToken: slow,
    maxAbsDifference: maxDiff,
  };
}

const baselineDir = join(models, 'severity-baseline');
if (existsSync(join(baselineDir, 'manifest.json'))) {
  const [model, manifest] = await Promise.all([loadSeverityModel(baselineDir), readManifest(baselineDir)]);
  const variant = parts.variant({ model, manifest });
  rows.push(
    levels(`baseline ${model.ref.family} ${model.ref.version}`, model, (text, explain) =>
      variant.predict({ text, explain }),
    ),
  );
}
results.levels = rows;
results.loadEnd = r(loadavg()[0]!, 1);
console.log(JSON.stringify(results, null, 2));
