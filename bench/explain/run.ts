/**
 * bench/explain: what an explanation, an anomaly score and the
 * recommendations cost per prediction, measured on typical CVE descriptions
 * (test split, 300-500 characters), next to the cost of one model prediction
 * measured in the same run (the baseline).
 *
 * Usage: node --import tsx bench/explain/run.ts [--data FILE] [--texts N] [--model DIR]
 *   --data   vulnrichment CVE JSON 5 lines (default $SHARED_DATA/cve/vulnrichment-cve5.jsonl.gz)
 *   --texts  how many descriptions (default 200)
 *   --model  a severity model directory to time as well (default models/severity when it has a manifest)
 *
 * Times are CPU time of this single-threaded process (process.cpuUsage), so
 * other jobs on a shared machine inflate wall time but not these figures;
 * wall p50/p95 per explanation are printed too. Without the data file it
 * prints "skipped" and exits 0.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAnomalyFeatures, loadAnomalyModel } from '../../src/anomaly/index.js';
import { loadWarninglistIndex } from '../../src/assets/index.js';
import {
  explainFamilies,
  explainText,
  recommend,
  type TextModel,
  topAttributions,
} from '../../src/explain/index.js';
import { extractIndicators } from '../../src/extract/index.js';
import { featurize } from '../../src/features/index.js';
import { loadKevLookup } from '../../src/graph/index.js';
import { CVE_FILE, cpuMs, machine, quantile, round } from '../shared-data.js';
import { hashedTextStandIn, mlpStandIn } from './stand-in-models.js';
import { typicalTestTexts } from './typical-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: CVE_FILE,
    },
    texts: { type: 'string', default: '200' },
    model: { type: 'string', default: join(repoRoot, 'models', 'severity') },
  },
});
if (!existsSync(args.data!)) {
  console.log(`bench/explain: skipped, no CVE data at ${args.data} (set SHARED_DATA or --data)`);
  process.exit(0);
}
const count = Number(args.texts);
const load0 = loadavg()[0]!;

const q = quantile;
const r = round;

const texts = await typicalTestTexts(args.data!, count);
const meanChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
const meanWords = texts.reduce((s, t) => s + (t.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0) / texts.length;
const results: Record<string, unknown> = {
  machine: {
    ...machine(),
    loadStart: r(load0, 1),
  },
  texts: texts.length,
  meanChars: r(meanChars, 0),
  meanWords: r(meanWords, 1),
};

// 1. Word explanations.
const textModels: [string, TextModel][] = [['stand-in hashed n-gram (random weights)', hashedTextStandIn()]];
if (existsSync(join(args.model!, 'manifest.json'))) {
  try {
    // Imported only when a model is there: the bench then times the real family too.
    const { loadSeverityModel } = await import('../../src/model/index.js');
    const m = await loadSeverityModel(args.model!);
    textModels.push([
      `shipped ${m.ref.family} ${m.ref.version}`,
      { predictProba: (text) => m.predict({ text }).probabilities },
    ]);
  } catch (err) {
    results.shippedModelError = String(err);
  }
}
const wordRows: Record<string, unknown>[] = [];
for (const [name, model] of textModels) {
  for (const t of texts) model.predictProba(t); // warm-up (JIT)
  const predictMs =
    cpuMs(() => {
      for (let k = 0; k < 3; k++) for (const t of texts) model.predictProba(t);
    }) /
    (3 * texts.length);
  // Fidelity against a large-budget reference on the first 10 texts.
  const refs = texts.slice(0, 10).map((t) => explainText(model, t, { maxEvaluations: 4096, seed: 7 }));
  for (const budget of [64, 256, 1024]) {
    const wall: number[] = [];
    let calls = 0;
    const ms =
      cpuMs(() => {
        for (const t of texts) {
          const t0 = performance.now();
          calls += explainText(model, t, { maxEvaluations: budget }).evaluations;
          wall.push(performance.now() - t0);
        }
      }) / texts.length;
    let err = 0;
    let overlap = 0;
    texts.slice(0, 10).forEach((t, i) => {
      const e = explainText(model, t, { maxEvaluations: budget });
      const ref = refs[i]!;
      const scale = Math.max(1e-12, ...ref.attributions.map((a) => Math.abs(a.value)));
      err +=
        Math.max(...e.attributions.map((a, j) => Math.abs(a.value - ref.attributions[j]!.value))) / scale;
      const top = new Set(topAttributions(ref.attributions, 5).map((a) => a.start));
      overlap += topAttributions(e.attributions, 5).filter((a) => top.has(a.start)).length / 5;
    });
    wordRows.push({
      model: name,
      budget,
      predictCpuMs: r(predictMs, 4),
      explainCpuMs: r(ms, 2),
      wallP50Ms: r(q(wall, 0.5), 2),
      wallP95Ms: r(q(wall, 0.95), 2),
      modelCallsMean: r(calls / texts.length, 1),
      maxErrorVsRef: r(err / 10, 3),
      top5OverlapVsRef: r(overlap / 10, 2),
    });
  }
}
results.words = wordRows;

// 2. Family explanations, 3. anomaly score, 4. recommendations: on the anomaly model's artefacts and background.
const anomalyDir = join(repoRoot, 'models', 'severity', 'anomaly');
const anomaly = await loadAnomalyModel(anomalyDir);
const artefacts = await loadAnomalyFeatures(anomalyDir, anomaly);
const warninglists = await loadWarninglistIndex();
const kev = await loadKevLookup();
const now = Date.parse('2025-01-01T00:00:00Z');
let extractions = texts.map((t) => extractIndicators(t, { warninglists }));
const extractMs =
  cpuMs(() => {
    extractions = texts.map((t) => extractIndicators(t, { warninglists }));
  }) / texts.length;
let vectors = texts.map((t, i) =>
  featurize({ text: t }, { artefacts, referenceTime: now, extraction: extractions[i]! }),
);
anomaly.scoreBatch(vectors); // warm-up (JIT)
const featurizeMs =
  cpuMs(() => {
    vectors = texts.map((t, i) =>
      featurize({ text: t }, { artefacts, referenceTime: now, extraction: extractions[i]! }),
    );
  }) / texts.length;
let scores: number[] = [];
const scoreMs =
  cpuMs(() => {
    for (let k = 0; k < 10; k++) scores = anomaly.scoreBatch(vectors);
  }) /
  (10 * texts.length);
results.anomaly = {
  extractWithWarninglistsCpuMs: r(extractMs, 4),
  featurizeCpuMs: r(featurizeMs, 4),
  scoreCpuMs: r(scoreMs, 4),
  scoreMedianOnTheseTexts: r(q(scores, 0.5), 3),
};

const mlp = mlpStandIn();
for (const v of vectors.slice(0, 20)) mlp.predictVectors([v]); // warm-up
explainFamilies(mlp, vectors[0]!, [anomaly.background.mean]);
const familyRows: Record<string, unknown>[] = [];
const predictOneMs =
  cpuMs(() => {
    for (const v of vectors) mlp.predictVectors([v]);
  }) / vectors.length;
for (const rows of [1, 8, 32]) {
  const background = rows === 1 ? [anomaly.background.mean] : anomaly.background.rows.slice(0, rows);
  const wall: number[] = [];
  let residual = 0;
  const n = Math.min(vectors.length, rows >= 32 ? 30 : 100);
  const ms =
    cpuMs(() => {
      for (const v of vectors.slice(0, n)) {
        const t0 = performance.now();
        const e = explainFamilies(mlp, v, background);
        wall.push(performance.now() - t0);
        residual = Math.max(
          residual,
          Math.abs(e.baseValue + e.attributions.reduce((s, a) => s + a.value, 0) - e.prediction),
        );
      }
    }) / n;
  familyRows.push({
    backgroundRows: rows,
    vectorsPerExplanation: 256 * rows,
    predictOneCpuMs: r(predictOneMs, 3),
    explainCpuMs: r(ms, 2),
    wallP50Ms: r(q(wall, 0.5), 2),
    wallP95Ms: r(q(wall, 0.95), 2),
    maxAdditivityResidual: residual,
  });
}
mlp.dispose();
results.families = familyRows;

let recs = 0;
const recommendMs =
  cpuMs(() => {
    for (let k = 0; k < 10; k++) {
      texts.forEach((_, i) => {
        recs += recommend({
          severity: 'high',
          confidence: 0.8,
          extraction: extractions[i]!,
          kev,
          anomalyScore: scores[i]!,
        }).length;
      });
    }
  }) /
  (10 * texts.length);
results.recommend = { cpuMs: r(recommendMs, 4), recommendationsPerText: r(recs / (10 * texts.length), 2) };
results.loadEnd = r(loadavg()[0]!, 1);
console.log(JSON.stringify(results, null, 2));
