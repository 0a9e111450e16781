/**
 * The self-learning loop on the real shipped model and the public data:
 * three retrainings of `models/severity` through the real job (feedback
 * selection, training on the full corpus + feedback, gate on the shipped
 * holdout), with simulated analyst feedback on test-split texts that are NOT
 * in the gate holdout:
 *
 *   A. control: no feedback (the retrained candidate should equal its parent; the gate has nothing to judge on)
 *   B. honest corrections: analysts give the CVSS label of texts the model got wrong
 *   C. poisoning: the same texts with labels flipped at random (never the true class)
 *
 * and, for each, the wall time, the training process's peak resident memory,
 * and, while each retraining runs, the event-loop delay of the calling
 * process (the API's position): B and C train in a child process (the
 * default), A on the calling thread (RETRAIN_IN_CHILD_PROCESS=false).
 *
 *   nice -n 10 node --import tsx bench/learning/retrain.ts [--data ../shared/data] [--feedback 400] [--scenarios A,B,C]
 *
 * Prints a JSON object as its last line; bench/RESULTS.md quotes it.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/core/index.js';
import {
  ChildProcessTrainer,
  createLearningCore,
  defaultHoldoutPath,
  ensureShippedRegistered,
  inlineTrainer,
  type RetrainResult,
  readHoldout,
  textKey,
} from '../../src/learning/index.js';
import {
  createRng,
  inputOf,
  loadSeverityCorpus,
  loadSeverityModel,
  SEVERITY_CLASSES,
  type SeverityClass,
} from '../../src/model/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { machine } from '../shared-data.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    feedback: { type: 'string', default: '400' },
    models: { type: 'string', default: 'models' },
    scenarios: { type: 'string', default: 'A,B,C' },
  },
});
const scenarios = new Set(values.scenarios.split(',').map((x) => x.trim()));
for (const x of scenarios) {
  if (!['A', 'B', 'C'].includes(x)) throw new Error(`--scenarios takes A, B and/or C, got "${x}"`);
}
const feedbackCount = Number(values.feedback);
const dataDir = resolve(values.data);
const started = Date.now();
const load0 = loadavg()[0];

const dir = mkdtempSync(join(tmpdir(), 'cs-bench-learning-'));
// A private copy of the shipped model: the one in the checkout may be replaced while the bench runs.
cpSync(join(values.models, 'severity'), join(dir, 'models', 'severity'), { recursive: true });
const config = loadConfig({
  DATA_DIR: join(dir, 'data'),
  MODELS_DIR: join(dir, 'models'),
  RETRAIN_BASE_DATA: dataDir,
  LOG_LEVEL: 'silent',
});

async function run(scenario: string, child: boolean, items: { text: string; label: string }[]) {
  // A fresh store per scenario: each retrains the shipped model on its own feedback.
  const s = openSqliteStore({ path: join(dir, `${scenario}.sqlite`) });
  const trainer = child
    ? new ChildProcessTrainer(new URL('../../src/main/train-child.ts', import.meta.url))
    : inlineTrainer;
  const core = createLearningCore({ store: s, config, clock: systemClock, trainer, owner: 'bench' });
  const shipped = await ensureShippedRegistered({
    registry: core.registry,
    shippedDir: join(config.MODELS_DIR, 'severity'),
    holdoutPath: core.holdoutPath,
    now: Date.now(),
  });
  if (shipped === undefined) throw new Error('no shipped model in MODELS_DIR/severity');
  let t = Date.now() - items.length * 1000;
  for (const [i, it] of items.entries()) {
    await s.feedback.insert({
      id: randomUUID(),
      createdAt: t++,
      predictionId: null,
      text: it.text,
      textSha256: randomUUID(),
      correctLabel: it.label,
      techniques: null,
      comment: null,
      analyst: `analyst-${i % 5}`,
      apiKeyId: null,
      modelFamily: null,
      modelVersion: null,
      predictedSeverity: null,
    });
  }
  const { job } = await s.jobs.createUnlessQueued({
    id: randomUUID(),
    kind: 'retrain',
    family: shipped.family,
    trigger: 'manual',
    requestedBy: 'bench',
    payload: { reason: scenario, settings: {} },
    createdAt: Date.now(),
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const outcome = await core.runner.attempt(job, 1, 1);
  const seconds = (performance.now() - t0) / 1000;
  delay.disable();
  await s.close();
  if (outcome.status !== 'succeeded') throw new Error(`${scenario}: ${JSON.stringify(outcome)}`);
  const r = outcome.result as RetrainResult;
  const round = (x: number | undefined | null) =>
    x === undefined || x === null ? null : Math.round(x * 10_000) / 10_000;
  return {
    scenario,
    parent: r.parentVersion,
    trainer: child ? 'child process' : 'calling thread',
    seconds: Math.round(seconds),
    trainSeconds: Math.round(r.trainSeconds),
    // The child's own peak for B and C; for A (calling thread) the bench process's peak so far.
    trainPeakRssMiB: r.trainPeakRssMiB,
    eventLoopDelayMs: {
      p50: round(delay.percentile(50) / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    },
    feedback: r.feedback,
    candidate: {
      ...r.figures.candidate.holdout,
      feedbackAccuracy: round(r.figures.candidate.feedback?.accuracy),
    },
    active: { ...r.figures.active.holdout, feedbackAccuracy: round(r.figures.active.feedback?.accuracy) },
    gate: {
      passed: r.gate.passed,
      checks: r.gate.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'}: ${c.detail}`),
    },
    status: r.status,
  };
}

try {
  process.stderr.write('loading the corpus and the shipped model...\n');
  const corpus = await loadSeverityCorpus(dataDir, { seed: 42, maxWeakInformational: 0 });
  const holdoutKeys = new Set(
    (await readHoldout(config.RETRAIN_HOLDOUT ?? defaultHoldoutPath())).map((d) => textKey(d.text)),
  );
  const pool = corpus.test.filter((d) => !holdoutKeys.has(textKey(d.text)));
  const model = await loadSeverityModel(join(config.MODELS_DIR, 'severity'));
  const predictions = model.predictBatch(pool.map(inputOf));
  model.dispose();
  const wrong = pool.filter((d, i) => predictions[i]!.severity !== d.label);
  const rng = createRng(7);
  // A fixed pseudo-random sample of the misclassified test texts outside the holdout.
  const picked = [...wrong];
  for (let i = picked.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  const sample = picked.slice(0, feedbackCount);
  const honest = sample.map((d) => ({ text: d.text, label: d.label as string }));
  const poison = sample.map((d) => {
    const others = SEVERITY_CLASSES.filter((c) => c !== d.label) as SeverityClass[];
    return { text: d.text, label: others[rng.int(others.length)] as string };
  });
  process.stderr.write(
    `pool ${pool.length} test texts outside the holdout, ${wrong.length} misclassified, ${sample.length} used as feedback\n`,
  );
  const results = [];
  const plan: [string, string, boolean, { text: string; label: string }[]][] = [
    ['A', 'A-control-no-feedback', false, []],
    ['B', 'B-honest-corrections', true, honest],
    ['C', 'C-random-flips', true, poison],
  ];
  for (const [key, name, child, items] of plan) {
    if (!scenarios.has(key)) continue;
    results.push(await run(name, child, items));
    process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
  }
  console.log(
    JSON.stringify({
      date: new Date(started).toISOString(),
      machine: machine(),
      loadAverage: { start: load0, end: loadavg()[0] },
      pool: pool.length,
      misclassified: wrong.length,
      feedbackTexts: sample.length,
      results,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
