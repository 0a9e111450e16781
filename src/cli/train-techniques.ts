import { runTechniqueTraining } from '../attack/index.js';
import { systemClock } from '../core/index.js';
import type { CliContext } from './context.js';
import type { CliTask, TrainOptions } from './task.js';

/**
 * `cyberstreams train --task techniques --out DIR [--seed N] [--set key=value ...]`:
 * trains the ATT&CK technique model from `--data-dir` (TRAM + ATT&CK bundle), the
 * TF-IDF baseline beside it, and writes DIR with manifest, weights, names and
 * EVALUATION.md. Progress on stderr; the last stdout line is a JSON summary.
 * `--set cacheDir=PATH` caches the parsed corpus between runs; other keys are the
 * training settings (see `parseTrainingSettings`).
 */
export const trainTechniquesTask: CliTask<TrainOptions> = {
  name: 'techniques',
  description: 'ATT&CK technique mapping model (TRAM + ATT&CK procedure examples)',
  async run(options: TrainOptions, ctx: CliContext): Promise<void> {
    const { cacheDir, ...settings } = options.settings;
    const result = runTechniqueTraining({
      dataDir: options.dataDir,
      out: options.out,
      seed: options.seed,
      settings,
      now: new Date(systemClock.now()),
      ...(cacheDir === undefined ? {} : { cacheDir }),
      log: (line) => ctx.stderr(`${line}\n`),
    });
    const pick = (e: { n: number; microF1: number; macroF1: number; precision: number; recall: number }) => ({
      n: e.n,
      microF1: e.microF1,
      macroF1: e.macroF1,
      precision: e.precision,
      recall: e.recall,
    });
    ctx.stdout(
      `${JSON.stringify({
        task: 'techniques',
        out: options.out,
        testSpans: pick(result.model['test-spans']),
        testSentences: pick(result.model['test-sentences']),
        baselineTestSpans: pick(result.baseline['test-spans']),
        baselineTestSentences: pick(result.baseline['test-sentences']),
      })}\n`,
    );
  },
};
