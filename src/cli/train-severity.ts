import { systemClock } from '../core/index.js';
import {
  type ProgressDisplay,
  type ProgressSink,
  type SkippedRecord,
  startProgress,
} from '../ingest/index.js';
import {
  applyOverrides,
  DEFAULT_HASHED_SETTINGS,
  DEFAULT_MLP_SETTINGS,
  ENSEMBLE_FAMILY,
  HASHED_FAMILY,
  HashedTrainSettingsSchema,
  loadSeverityCorpus,
  MLP_FAMILY,
  MlpTrainSettingsSchema,
  type TrainHooks,
  trainEnsembleSeverity,
  trainHashedSeverity,
  trainMlpSeverity,
  writeModelDir,
} from '../model/index.js';
import type { CliContext } from './context.js';
import type { CliTask, TrainOptions } from './task.js';
import { usageError } from './usage.js';

/** `--set` keys handled here rather than passed to the model's settings. */
const TASK_KEYS = ['family', 'cv', 'weak', 'parent'] as const;

function sinkOf(ctx: CliContext): ProgressSink {
  // A live bar only when stderr is a terminal; tests and logs get plain lines through ctx.
  return process.stderr.isTTY
    ? { write: (s) => process.stderr.write(s), isTTY: true }
    : { write: ctx.stderr, isTTY: false };
}

function progressHooks(sink: ProgressSink): TrainHooks & { done(): void } {
  let bar: ProgressDisplay | undefined;
  return {
    onPhase: (phase, epochs) => {
      bar?.stop();
      bar = startProgress(sink, phase, epochs, { unit: 'epochs' });
    },
    onEpoch: (_phase, info) => {
      bar?.update(info.epoch, {
        ...(info.loss > 0 ? { loss: info.loss.toFixed(4) } : {}),
        ...(info.monitor
          ? { 'val acc': info.monitor.accuracy.toFixed(4), 'val macro-F1': info.monitor.macroF1.toFixed(4) }
          : {}),
      });
    },
    done: () => bar?.stop(),
  };
}

/**
 * `cyberstreams train --task severity --out DIR [--data-dir DIR] [--seed N] [--set key=value]...`
 *
 * Trains a severity model from the public data folder and writes a versioned
 * model directory. `--set family=` picks the family: `hashed-ngram` (default),
 * `tfjs-mlp` (the design's TF.js baseline) or `ensemble` (both, pooled). Other
 * `--set` keys: `cv=K` (k-fold cross-validation on train, hashed family,
 * recorded in the manifest), `weak=N` (most weak informational examples,
 * default 1500), `parent=VERSION`, and any model setting (`epochs=10`,
 * `features.buckets=131072`, ...; for an ensemble, MLP settings take the
 * prefix `mlp.`, e.g. `mlp.epochs=20`).
 * Prints progress on stderr and one JSON summary as the last stdout line.
 */
export const trainSeverityTask: CliTask<TrainOptions> = {
  name: 'severity',
  description:
    'severity classifier from CVE records (hashed n-gram network; --set family=tfjs-mlp for the baseline)',
  async run(opts: TrainOptions, ctx: CliContext): Promise<void> {
    const started = Date.now();
    const family = opts.settings.family ?? HASHED_FAMILY;
    if (family !== HASHED_FAMILY && family !== MLP_FAMILY && family !== ENSEMBLE_FAMILY) {
      throw usageError(
        `--set family must be ${HASHED_FAMILY}, ${MLP_FAMILY} or ${ENSEMBLE_FAMILY}, got "${family}"`,
      );
    }
    const cv = Number(opts.settings.cv ?? '0');
    if (!Number.isInteger(cv) || cv < 0 || cv === 1 || cv > 20)
      throw usageError(`--set cv must be 0 or 2..20, got "${opts.settings.cv}"`);
    const weak = Number(opts.settings.weak ?? '1500');
    if (!Number.isInteger(weak) || weak < 0)
      throw usageError(`--set weak must be a non-negative integer, got "${opts.settings.weak}"`);
    const modelKeys = Object.fromEntries(
      Object.entries(opts.settings).filter(([k]) => !(TASK_KEYS as readonly string[]).includes(k)),
    );
    const seed = String(opts.seed);
    const plainKeys = Object.fromEntries(Object.entries(modelKeys).filter(([k]) => !k.startsWith('mlp.')));
    const mlpKeys = Object.fromEntries(
      Object.entries(modelKeys)
        .filter(([k]) => k.startsWith('mlp.'))
        .map(([k, v]) => [k.slice(4), v]),
    );
    if (family !== ENSEMBLE_FAMILY && Object.keys(mlpKeys).length > 0) {
      throw usageError('settings with the prefix mlp. apply to --set family=ensemble only');
    }
    const hashed =
      family === MLP_FAMILY
        ? undefined
        : applyOverrides(DEFAULT_HASHED_SETTINGS, { ...plainKeys, seed }, HashedTrainSettingsSchema);
    const mlp =
      family === HASHED_FAMILY
        ? undefined
        : applyOverrides(
            DEFAULT_MLP_SETTINGS,
            family === MLP_FAMILY ? { ...plainKeys, seed } : { ...mlpKeys, seed },
            MlpTrainSettingsSchema,
          );
    const problems = [...(hashed?.problems ?? []), ...(mlp?.problems ?? [])];
    if (problems.length > 0) throw usageError(`invalid --set: ${problems.join('; ')}`);

    const sink = sinkOf(ctx);
    let importBar: ProgressDisplay | undefined;
    let importWhat = '';
    const skipped: SkippedRecord[] = [];
    const corpus = await loadSeverityCorpus(opts.dataDir, {
      seed: opts.seed,
      maxWeakInformational: weak,
      onSkip: (s) => {
        skipped.push(s);
        ctx.stderr(`skipped ${s.where}${s.id ? ` (${s.id})` : ''}: ${s.reason}\n`);
      },
      onProgress: (what, p) => {
        if (what !== importWhat) {
          importBar?.stop();
          importWhat = what;
          importBar = startProgress(sink, `reading ${what}`, Math.max(1, Math.round(p.total / 1048576)), {
            unit: 'MiB',
            lineEvery: 0.25,
          });
        }
        importBar?.update(Math.round(p.done / 1048576));
      },
    });
    importBar?.stop();
    ctx.stderr(
      `corpus: train ${corpus.train.length} (weak informational ${corpus.report.weakInformational}), validation ${corpus.validation.length}, test ${corpus.test.length} (not used); ${corpus.report.skipped} records skipped, ${corpus.report.unplaced} without publication date\n`,
    );
    const hooks = progressHooks(sink);
    const parentVersion = opts.settings.parent ?? null;
    let summary: Record<string, unknown>;
    if (hashed && mlp) {
      if (cv > 0) ctx.stderr('note: cross-validation runs with the hashed family alone; cv ignored\n');
      const result = await trainEnsembleSeverity(
        corpus,
        { hashed: hashed.settings, mlp: mlp.settings },
        opts.out,
        {
          clock: systemClock,
          parentVersion,
          hooks,
        },
      );
      hooks.done();
      summary = {
        family: result.manifest.family,
        version: result.manifest.version,
        hashedWeight: result.weight,
        calibration: result.calibration,
        validation: result.manifest.metrics,
      };
    } else if (hashed) {
      const result = trainHashedSeverity(corpus, hashed.settings, {
        clock: systemClock,
        parentVersion,
        crossValidationFolds: cv,
        hooks,
      });
      hooks.done();
      await writeModelDir(opts.out, result.manifest, result.files);
      summary = {
        family: result.manifest.family,
        version: result.manifest.version,
        calibration: result.calibration,
        validation: result.manifest.metrics,
        crossValidation: result.crossValidation ?? null,
      };
    } else {
      if (cv > 0)
        ctx.stderr('note: cross-validation is implemented for the hashed family only; cv ignored\n');
      const result = await trainMlpSeverity(corpus, mlp!.settings, opts.out, {
        clock: systemClock,
        parentVersion,
        hooks,
      });
      hooks.done();
      summary = {
        family: result.manifest.family,
        version: result.manifest.version,
        calibration: result.calibration,
        validation: result.manifest.metrics,
      };
    }
    ctx.stdout(
      `${JSON.stringify({
        task: 'severity',
        out: opts.out,
        ...summary,
        counts: { train: corpus.train.length, validation: corpus.validation.length, skipped: skipped.length },
        seconds: (Date.now() - started) / 1000,
      })}\n`,
    );
  },
};
