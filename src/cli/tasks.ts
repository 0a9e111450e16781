import type { CliContext } from './context.js';
import { evalSeverityTask } from './eval-severity.js';
import { evalTechniquesTask } from './eval-techniques.js';
import { trainSeverityTask } from './train-severity.js';
import { trainTechniquesTask } from './train-techniques.js';

/**
 * A learning task the `train` and `eval` commands can run (severity, techniques, ...).
 * Each task lives in its own file (`train-<task>.ts`, `eval-<task>.ts`) and is listed in
 * `TRAIN_TASKS` / `EVAL_TASKS` below.
 */
export interface CliTask<Options> {
  /** The `--task` value. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** Runs the task; prints progress on stderr and its JSON result as the last stdout line. */
  run(options: Options, ctx: CliContext): Promise<void>;
}

/** Options every `eval` task receives. */
export interface EvalOptions {
  /** JSON lines file with the labelled examples. */
  data: string;
  /** Model directory; default: the active model of the task. */
  model?: string;
}

/** Options every `train` task receives. */
export interface TrainOptions {
  /** Where the public data lives (default ../shared/data). */
  dataDir: string;
  /** Output model directory. */
  out: string;
  /** Random seed. */
  seed: number;
  /** Extra task-specific settings given as `--set key=value`. */
  settings: Record<string, string>;
}

/** Evaluation tasks, by `--task` name. Add a task with one import and one entry. */
export const EVAL_TASKS: readonly CliTask<EvalOptions>[] = [evalSeverityTask, evalTechniquesTask];

/** Training tasks, by `--task` name. Add a task with one import and one entry. */
export const TRAIN_TASKS: readonly CliTask<TrainOptions>[] = [trainSeverityTask, trainTechniquesTask];
