/**
 * bench/api/predictor-ab: CPU of the whole service predictor (what `POST /api/v1/predict`
 * runs: extraction, both models, anomaly score, explanation, recommendations) with the
 * code of an earlier git revision ("before") against the working tree ("after"), in one
 * process on the same texts, in interleaved batches so both see the same machine load
 * (the machine is shared: separate runs minutes apart differ by more than most changes).
 * First checks that both give the same answers, as JSON, for every text at the default
 * explanation level and at `none`.
 *
 *   nice -n 5 node --import tsx bench/api/predictor-ab.ts --rev d223897 [--data FILE] [--texts N]
 *        [--check N] [--rounds N] [--batch N] [--explain words|none] [--models DIR]
 *
 * The old `src/` and `assets/` are extracted with `git archive` into `.tmp/predictor-ab-REV/`
 * (git-ignored). Both load the same models (`--models`, default the shipped `models/`).
 * Both predictors are in memory at once, so each sees a busier cache than the service
 * alone: a change that only shrinks memory traffic may show less here than in the service.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ServicePredictor } from '../../src/main/predictor.js';
import { CVE_FILE } from '../shared-data.js';
import { loadTestSplitTexts } from './cve-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    rev: { type: 'string' },
    data: { type: 'string', default: CVE_FILE },
    texts: { type: 'string', default: '1000' },
    check: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '50' },
    explain: { type: 'string', default: 'words' },
    models: { type: 'string', default: join(repoRoot, 'models') },
  },
});
if (!args.rev || !/^[0-9a-f]{7,40}$/.test(args.rev)) throw new Error('--rev must be a commit hash');
const [TEXTS, CHECK, ROUNDS, BATCH] = [args.texts, args.check, args.rounds, args.batch].map(Number);
if (![TEXTS, CHECK, ROUNDS, BATCH].every((v) => Number.isInteger(v) && v! >= 1))
  throw new Error('--texts, --check, --rounds and --batch must be integers >= 1');
if (args.explain !== 'words' && args.explain !== 'none') throw new Error('--explain must be words or none');
if (!existsSync(args.data!)) {
  console.log(`bench/api/predictor-ab: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}

const oldRoot = join(repoRoot, '.tmp', `predictor-ab-${args.rev}`);
if (!existsSync(join(oldRoot, 'src', 'main', 'load-predictor.ts'))) {
  mkdirSync(oldRoot, { recursive: true });
  const tar = `${oldRoot}.tar`;
  execFileSync('git', ['-C', repoRoot, 'archive', '-o', tar, args.rev, 'src', 'assets']);
  execFileSync('tar', ['-x', '-f', tar, '-C', oldRoot]);
}
type Loader = {
  loadServicePredictor: (
    env: { MODELS_DIR: string },
    logger: pino.Logger,
  ) => Promise<{ predictor: ServicePredictor }>;
};
const logger = pino({ level: 'warn' });
const load = async (root: string) =>
  (
    await ((await import(join(root, 'src', 'main', 'load-predictor.ts'))) as Loader).loadServicePredictor(
      { MODELS_DIR: args.models! },
      logger,
    )
  ).predictor;
const before = await load(oldRoot);
const after = await load(repoRoot);

const texts = await loadTestSplitTexts(args.data!, Math.max(TEXTS!, CHECK!));
const inputOf = (t: (typeof texts)[number], explain: 'words' | 'none') => ({
  text: t.text,
  ...(t.source === undefined ? {} : { source: t.source }),
  published: t.published,
  explain,
});

// Same answers first: every field of the predictor's output, for both explanation levels.
let different = 0;
for (const t of texts.slice(0, CHECK)) {
  for (const level of ['words', 'none'] as const) {
    const a = JSON.stringify(before.predict(inputOf(t, level)));
    const b = JSON.stringify(after.predict(inputOf(t, level)));
    if (a !== b) {
      if (different === 0) console.log(`first difference (${level}): ${t.text.slice(0, 80)}\n${a}\n${b}`);
      different++;
    }
  }
}
const checked = Math.min(CHECK!, texts.length);

const inputs = texts.slice(0, TEXTS).map((t) => inputOf(t, args.explain as 'words' | 'none'));
const cpuMs = (p: ServicePredictor, from: number): number => {
  const start = process.cpuUsage();
  for (let k = from; k < Math.min(inputs.length, from + BATCH!); k++) p.predict(inputs[k]!);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const load0 = loadavg()[0]!;
const total = [0, 0];
let n = 0;
for (let r = 0; r < ROUNDS!; r++) {
  for (let from = 0; from < inputs.length; from += BATCH!) {
    // Alternate which goes first, so neither always runs on the other's cache.
    if ((from / BATCH!) % 2 === 0) {
      total[0]! += cpuMs(before, from);
      total[1]! += cpuMs(after, from);
    } else {
      total[1]! += cpuMs(after, from);
      total[0]! += cpuMs(before, from);
    }
    n += Math.min(BATCH!, inputs.length - from);
  }
}
const [b, a] = [total[0]! / n, total[1]! / n];
console.log(
  `bench/api/predictor-ab: ${args.rev} (before) against the working tree (after); ${cpus().length} CPUs, load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
);
console.log(`answers: ${different} of ${checked * 2} differ (${checked} texts x explain words, none)`);
console.log(
  `explain ${args.explain}: before ${b.toFixed(3)} ms, after ${a.toFixed(3)} ms CPU per prediction, after/before ${(a / b).toFixed(3)} (${n} predictions each, batches of ${BATCH})`,
);
console.log(
  JSON.stringify({ rev: args.rev, checked, different, explain: args.explain, n, beforeMs: b, afterMs: a }),
);
