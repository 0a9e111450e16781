import { text } from 'node:stream/consumers';
import { type CliContext, runCli } from '../cli/index.js';
import { loadConfig } from '../config/index.js';
import { openCliEnricher } from './cli-enricher.js';
import { startService } from './cluster.js';
import { VERSION } from './version.js';
import { startWorker } from './worker.js';

/** The real process context: stdin/stdout/stderr and `process.env`. */
export const processContext: CliContext = {
  readStdin: () => text(process.stdin),
  stdout: (s) => {
    process.stdout.write(s);
  },
  stderr: (s) => {
    process.stderr.write(s);
  },
  loadConfig: (overrides = {}) => loadConfig({ ...process.env, ...overrides }),
  startServer: startService,
  startWorker,
  openEnricher: openCliEnricher,
};

/** Entry point of the `cyberstreams` binary. */
export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCli(argv, processContext, VERSION);
}
