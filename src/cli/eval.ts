import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { EvalOptions } from './task.js';
import { EVAL_TASKS } from './tasks.js';
import { usageError } from './usage.js';

/** `cyberstreams eval --task NAME --data FILE [--model DIR]`: measures a model on labelled JSON lines. */
export function registerEval(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .description('evaluate a model on labelled JSON lines; prints one JSON object as the last line')
    .requiredOption(
      '--task <task>',
      `what to evaluate: ${EVAL_TASKS.map((t) => t.name).join(', ') || '(none yet)'}`,
    )
    .requiredOption('--data <file>', 'JSON lines with the labelled examples')
    .option('--model <dir>', 'model directory (default: the active model)')
    .action(async (opts: { task: string } & EvalOptions) => {
      const task = EVAL_TASKS.find((t) => t.name === opts.task);
      if (!task) {
        throw usageError(
          `Unknown --task ${opts.task}; expected one of: ${EVAL_TASKS.map((t) => t.name).join(', ')}`,
        );
      }
      await task.run({ data: opts.data, ...(opts.model === undefined ? {} : { model: opts.model }) }, ctx);
    });
}
