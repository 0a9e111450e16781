import { evalSeverityTask } from './eval-severity.js';
import { evalTechniquesTask } from './eval-techniques.js';
import type { CliTask, EvalOptions, TrainOptions } from './task.js';
import { trainSeverityTask } from './train-severity.js';
import { trainTechniquesTask } from './train-techniques.js';

/** Evaluation tasks, by `--task` name. Add a task with one import and one entry. */
export const EVAL_TASKS: readonly CliTask<EvalOptions>[] = [evalSeverityTask, evalTechniquesTask];

/** Training tasks, by `--task` name. Add a task with one import and one entry. */
export const TRAIN_TASKS: readonly CliTask<TrainOptions>[] = [trainSeverityTask, trainTechniquesTask];
