import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixtureSentences, writeFixtureDataDir } from '../../test/fixtures/attack/fixture-data.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
}

test('train then eval --task techniques: the eval contract on fixture data', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cs-cli-techniques-'));
  try {
    const data = writeFixtureDataDir(join(root, 'data'));
    const model = join(root, 'model');
    const train = recordingContext();
    const trainArgs = ['train', '--task', 'techniques', '--data-dir', data, '--out', model, '--seed', '3'];
    const sets = ['hashBits=12', 'epochs=20', 'baselineEpochs=5', 'negativeWeight=1'].flatMap((s) => [
      '--set',
      s,
    ]);
    assert.equal(await runCli([...trainArgs, ...sets], train, '0'), EXIT.ok, train.err);
    assert.match(train.err, /epoch 20\/20/);
    assert.equal(typeof (lastJson(train.out).testSpans as { microF1: number }).microF1, 'number');

    const fixture = fixtureSentences();
    const lines = [
      ...Object.entries(fixture.techniques).flatMap(([id, t]) =>
        t.test.map((text) => ({ text, techniques: [id] })),
      ),
      ...fixture.negatives.test.map((text) => ({ text, techniques: [] })),
      // Labelled only at parent depth: a predicted T1003.001 counts.
      { text: 'The intruders dumped lsass memory on the domain controller.', techniques: ['T1003'] },
    ];
    const file = join(root, 'eval.jsonl');
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const ctx = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'techniques', '--data', file, '--model', model], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    const result = lastJson(ctx.out);
    assert.equal(result.n, lines.length);
    for (const key of ['microF1', 'macroF1', 'precision', 'recall']) {
      const v = result[key] as number;
      assert.ok(typeof v === 'number' && v >= 0 && v <= 1, key);
    }
    assert.ok((result.microF1 as number) >= 0.8, `micro-F1 ${result.microF1}`);
    const per = result.perTechnique as Record<string, { support: number; truePositives: number }>;
    assert.equal(per.T1003?.support, 1);
    assert.equal(per.T1003?.truePositives, 1);
    assert.equal(per.T1113?.support, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('eval --task techniques refuses bad data lines and missing models without printing a result', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cs-cli-techniques-'));
  try {
    const file = join(root, 'bad.jsonl');
    writeFileSync(
      file,
      '{"text": "ok", "techniques": ["T1105"]}\n{"text": "x", "techniques": ["not-an-id"]}\n',
    );
    const missing = recordingContext();
    assert.equal(
      await runCli(
        ['eval', '--task', 'techniques', '--data', file, '--model', join(root, 'none')],
        missing,
        '0',
      ),
      EXIT.failure,
    );
    assert.match(missing.err, /No technique model/);
    assert.equal(missing.out, '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('eval --task techniques skips malformed lines as eval --task severity does: each on stderr, counted in the JSON', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cs-cli-techniques-'));
  try {
    const file = join(root, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        '{"text": "The actor ran PowerShell scripts.", "techniques": ["T1059.001"]}',
        'not json',
        '{"text": "no labels"}',
        '',
        '{"text": "x", "techniques": ["not-an-id"]}',
        '{"text": "They dumped lsass memory.", "techniques": ["T1003.001"]}',
      ].join('\n'),
    );
    const model = fileURLToPath(new URL('../../models/techniques', import.meta.url));
    const ctx = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'techniques', '--data', file, '--model', model], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    assert.match(ctx.err, new RegExp(`skipped ${file}:2: not valid JSON`));
    assert.match(ctx.err, new RegExp(`skipped ${file}:3: .*techniques`));
    assert.match(ctx.err, new RegExp(`skipped ${file}:5: /techniques/0`));
    const result = lastJson(ctx.out);
    assert.equal(result.n, 2);
    assert.equal(result.skipped, 3);

    const none = join(root, 'none.jsonl');
    writeFileSync(none, 'not json\n');
    const empty = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'techniques', '--data', none, '--model', model], empty, '0'),
      EXIT.failure,
    );
    assert.match(empty.err, /holds no examples/);
    assert.equal(empty.out, '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
