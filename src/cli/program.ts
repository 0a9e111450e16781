import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/index.js';
import type { CliContext } from './context.js';
import { registerEval } from './eval.js';
import { registerExtract } from './extract.js';
import { registerFeaturize } from './featurize.js';
import { registerGraph } from './graph.js';
import { registerImport } from './import.js';
import { registerKeys } from './keys.js';
import { registerModels } from './models.js';
import { registerRetrain } from './retrain.js';
import { registerServe } from './serve.js';
import { registerTrain } from './train.js';
import { isUsageError } from './usage.js';
import { registerWorker } from './worker.js';

/** Exit codes of the CLI. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2 });

/** Every sub-command, in the order `--help` lists them. Each file registers one. */
const COMMANDS: readonly ((program: Command, ctx: CliContext) => void)[] = [
  registerServe,
  registerTrain,
  registerEval,
  registerExtract,
  registerKeys,
  registerFeaturize,
  registerGraph,
  registerImport,
  registerModels,
  registerRetrain,
  registerWorker,
];

/** Builds the `cyberstreams` program with all sub-commands. */
export function buildProgram(ctx: CliContext, version: string): Command {
  const program = new Command('cyberstreams')
    .description(
      'Cyberstreams ML: severity, indicators, ATT&CK techniques and context for threat-intelligence text',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  for (const register of COMMANDS) register(program, ctx);
  // Sub-commands inherit the overrides so their usage errors also surface as CommanderError.
  program.commands.forEach((c) => {
    c.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  });
  return program;
}

/**
 * Runs the CLI and returns its exit code: 0 ok, 1 failure (bad input, I/O,
 * domain errors, and an invalid environment variable: configuration, not the
 * command line), 2 usage (unknown command or option, missing argument, an
 * option or argument value its parser refuses, conflicting options; see usage.ts).
 */
export async function runCli(argv: readonly string[], ctx: CliContext, version: string): Promise<number> {
  const program = buildProgram(ctx, version);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok; // --help, --version
      return EXIT.usage;
    }
    if (isAppError(err)) {
      ctx.stderr(`cyberstreams: ${err.message}\n`);
      return isUsageError(err) ? EXIT.usage : EXIT.failure;
    }
    ctx.stderr(`cyberstreams: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.failure;
  }
}
