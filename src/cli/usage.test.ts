import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordingContext } from '../../test/helpers/cli.js';
import { loadConfig } from '../config/index.js';
import { EXIT, runCli } from './program.js';

/**
 * A bad option value is a usage error (exit 2) in every command, and is found
 * while the command line is parsed: nothing is opened in DATA_DIR.
 */
describe('bad option values are usage errors (exit 2) and open nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['keys create --name ""', ['keys', 'create', '--role', 'admin', '--name', ''], /--name/],
    [
      'keys create --name with a bad character',
      ['keys', 'create', '--role', 'admin', '--name', 'a|b'],
      /--name/,
    ],
    [
      'graph export --depth 4',
      ['graph', 'export', '--format', 'stix', '--node', 'APT28', '--depth', '4'],
      /--depth <n>' argument '4' is invalid\. expected a whole number from 1 to 3/,
    ],
    [
      'graph query neighbours --depth 9',
      ['graph', 'query', 'neighbours', 'APT28', '--depth', '9'],
      /--depth/,
    ],
    [
      'graph query neighbours --depth 0',
      ['graph', 'query', 'neighbours', 'APT28', '--depth', '0'],
      /--depth/,
    ],
    [
      'graph query neighbours --limit x',
      ['graph', 'query', 'neighbours', 'APT28', '--limit', 'x'],
      /--limit/,
    ],
    [
      'graph query path --max-depth 11',
      ['graph', 'query', 'path', 'a', 'b', '--max-depth', '11'],
      /--max-depth/,
    ],
    ['graph query shared --limit 1001', ['graph', 'query', 'shared', 'APT28', '--limit', '1001'], /--limit/],
    [
      'graph patterns mine --min-support 0',
      ['graph', 'patterns', 'mine', '--min-support', '0'],
      /--min-support/,
    ],
    [
      'graph patterns mine --max-length 6',
      ['graph', 'patterns', 'mine', '--max-length', '6'],
      /--max-length/,
    ],
    [
      'graph patterns suggest --limit 0',
      ['graph', 'patterns', 'suggest', 'T1059', '--limit', '0'],
      /--limit/,
    ],
    ['serve --port abc', ['serve', '--port', 'abc'], /--port/],
    ['serve --port 70000', ['serve', '--port', '70000'], /--port/],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cs-cli-usage-'));
      try {
        const ctx = recordingContext();
        ctx.loadConfig = (overrides = {}) => loadConfig({ DATA_DIR: dir, ...overrides });
        assert.equal(await runCli(argv, ctx, '0'), EXIT.usage, ctx.err);
        assert.match(ctx.err, message);
        assert.equal(ctx.out, '');
        assert.deepEqual(readdirSync(dir), [], 'nothing was opened');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
