import type { CliContext } from './context.js';

/**
 * A learning task the `train` and `eval` commands can run (severity, techniques, ...).
 * Each task lives in its own file (`train-<task>.ts`, `eval-<task>.ts`), is typed with
 * this interface and is listed in `TRAIN_TASKS` / `EVAL_TASKS` (tasks.ts). The types live
 * apart from the lists so the task files can import them without an import cycle.
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
