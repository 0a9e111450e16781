import type { CliContext } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';

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
  };
  return ctx;
}
