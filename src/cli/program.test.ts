import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

test('--help and --version exit 0', async () => {
  const ctx = recordingContext();
  assert.equal(await runCli(['--help'], ctx, '1.2.3'), EXIT.ok);
  assert.match(ctx.out, /Usage: cyberstreams/);
  assert.equal(await runCli(['--version'], ctx, '1.2.3'), EXIT.ok);
  assert.match(ctx.out, /1\.2\.3/);
});

test('unknown commands, options and tasks are usage errors (exit 2)', async () => {
  assert.equal(await runCli(['frobnicate'], recordingContext(), '0'), EXIT.usage);
  assert.equal(await runCli(['serve', '--bogus'], recordingContext(), '0'), EXIT.usage);
  assert.equal(await runCli(['eval', '--task', 'nope', '--data', 'x'], recordingContext(), '0'), EXIT.usage);
  assert.equal(
    await runCli(['train', '--out', 'x', '--set', 'novalue'], recordingContext(), '0'),
    EXIT.usage,
  );
});
