import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

const shipped = (name: string) => fileURLToPath(new URL(`../../models/${name}`, import.meta.url));

test('eval names the task a model directory holds when --task asks for the other one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cli-model-task-'));
  try {
    const severityData = join(dir, 'severity.jsonl');
    writeFileSync(severityData, '{"text": "remote code execution", "severity": "HIGH"}\n');
    const techniqueData = join(dir, 'techniques.jsonl');
    writeFileSync(techniqueData, '{"text": "ran powershell", "techniques": ["T1059.001"]}\n');

    let ctx = recordingContext();
    const techniques = shipped('techniques');
    assert.equal(
      await runCli(['eval', '--task', 'severity', '--model', techniques, '--data', severityData], ctx, '0'),
      EXIT.failure,
    );
    assert.equal(
      ctx.err,
      `cyberstreams: ${techniques} holds a technique model, not a severity model: use --task techniques for it, or give --model a severity model directory\n`,
    );
    assert.equal(ctx.out, '');

    ctx = recordingContext();
    const severity = shipped('severity');
    assert.equal(
      await runCli(['eval', '--task', 'techniques', '--model', severity, '--data', techniqueData], ctx, '0'),
      EXIT.failure,
    );
    assert.match(ctx.err, /holds a severity model, not a technique model: use --task severity/);
    assert.equal(ctx.out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
