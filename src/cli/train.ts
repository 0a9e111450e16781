import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { TRAIN_TASKS } from './tasks.js';
import { usageError } from './usage.js';

function parseSetting(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    throw usageError(`--set expects key=value, got "${value}"`);
  }
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** `cyberstreams train --task NAME`: trains a model from the public data into a model directory. */
export function registerTrain(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('train a model from the public data into a versioned model directory')
    .option(
      '--task <task>',
      `what to train: ${TRAIN_TASKS.map((t) => t.name).join(', ') || '(none yet)'}`,
      'severity',
    )
    .option('--data-dir <dir>', 'the public data folder', '../shared/data')
    .requiredOption('--out <dir>', 'output model directory')
    .option('--seed <n>', 'random seed', '42')
    .option('--set <key=value>', 'task-specific setting (repeatable)', parseSetting, {})
    .action(
      async (opts: {
        task: string;
        dataDir: string;
        out: string;
        seed: string;
        set: Record<string, string>;
      }) => {
        const task = TRAIN_TASKS.find((t) => t.name === opts.task);
        if (!task) {
          throw usageError(
            `Unknown --task ${opts.task}; expected one of: ${TRAIN_TASKS.map((t) => t.name).join(', ')}`,
          );
        }
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) {
          throw usageError(`--seed must be an integer, got "${opts.seed}"`);
        }
        await task.run({ dataDir: opts.dataDir, out: opts.out, seed, settings: opts.set }, ctx);
      },
    );
}
