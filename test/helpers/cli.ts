import type { CliContext } from '../../src/cli/index.js';
import { type Config, loadConfig } from '../../src/config/index.js';

/** A CLI context that records output, for tests of any sub-command. */
export function recordingContext(stdin = ''): CliContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    readStdin: async () => stdin,
    stdout: (s: string) => {
      ctx.out += s;
    },
    stderr: (s: string) => {
      ctx.err += s;
    },
    loadConfig: (overrides: Record<string, string> = {}) => loadConfig(overrides),
    startServer: async () => {
      throw new Error('not in tests');
    },
    // The real one (imported when used: it loads the technique model and warninglists).
    openEnricher: async (config: Config, stderr: (text: string) => void) =>
      (await import('../../src/main/cli-enricher.js')).openCliEnricher(config, stderr),
  };
  return ctx;
}
