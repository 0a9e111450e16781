import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { syntheticCveRecords, syntheticDocs } from '../../test/fixtures/severity/synthetic.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

const TINY = [
  '--set',
  'epochs=3',
  '--set',
  'features.buckets=4096',
  '--set',
  'precision=float32',
  '--set',
  'learningRate=0.05',
];

async function dataDir(root: string): Promise<string> {
  const dir = join(root, 'data');
  await mkdir(join(dir, 'cve'), { recursive: true });
  await writeFile(
    join(dir, 'cve', 'vulnrichment-cve5.jsonl.gz'),
    gzipSync(syntheticCveRecords(syntheticDocs(200, 4))),
  );
  return dir;
}

test('train --task severity writes a loadable model directory and prints a JSON summary last', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cs-train-sev-'));
  try {
    const data = await dataDir(root);
    const out = join(root, 'model');
    const ctx = recordingContext();
    const code = await runCli(
      [
        'train',
        '--task',
        'severity',
        '--data-dir',
        data,
        '--out',
        out,
        '--seed',
        '3',
        '--set',
        'weak=0',
        '--set',
        'cv=2',
        ...TINY,
      ],
      ctx,
      '0',
    );
    assert.equal(code, EXIT.ok, ctx.err);
    const summary = JSON.parse(ctx.out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    assert.equal(summary.family, 'hashed-ngram');
    assert.equal((summary.crossValidation as { k: number }).k, 2);
    assert.match(ctx.err, /fit on train 3\/3 epochs/);
    assert.match(ctx.err, /refit on train\+validation 3\/3/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      hyperparameters: Record<string, unknown>;
    };
    assert.equal(manifest.hyperparameters.seed, 3);
    assert.equal(manifest.hyperparameters.epochs, 3);
    const report = JSON.parse(await readFile(join(out, 'training-report.json'), 'utf8')) as {
      corpus: { imported: number };
    };
    assert.equal(report.corpus.imported, 200);

    // The model it wrote answers the eval contract.
    const evalFile = join(root, 'eval.jsonl');
    const docs = syntheticDocs(40, 9);
    await writeFile(
      evalFile,
      docs
        .map((d) => JSON.stringify({ text: d.text, severity: d.label?.toUpperCase(), source: d.source }))
        .join('\n'),
    );
    const ectx = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'severity', '--data', evalFile, '--model', out], ectx, '0'),
      EXIT.ok,
      ectx.err,
    );
    const result = JSON.parse(ectx.out.trim().split('\n').at(-1) as string) as {
      n: number;
      accuracy: number;
    };
    assert.equal(result.n, 40);
    assert.ok(result.accuracy >= 0.9, `accuracy ${result.accuracy}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('bad settings are usage errors; a missing data folder is a clear failure', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cs-train-sev-'));
  try {
    const out = join(root, 'model');
    const ctx = recordingContext();
    assert.equal(
      await runCli(['train', '--task', 'severity', '--out', out, '--set', 'epochs=zero'], ctx, '0'),
      EXIT.usage,
    );
    assert.match(ctx.err, /epochs must be a number/);
    assert.equal(
      await runCli(
        ['train', '--task', 'severity', '--out', out, '--set', 'bogus=1'],
        recordingContext(),
        '0',
      ),
      EXIT.usage,
    );
    assert.equal(
      await runCli(
        ['train', '--task', 'severity', '--out', out, '--set', 'family=svm'],
        recordingContext(),
        '0',
      ),
      EXIT.usage,
    );
    const missing = recordingContext();
    assert.equal(
      await runCli(
        ['train', '--task', 'severity', '--out', out, '--data-dir', join(root, 'nope')],
        missing,
        '0',
      ),
      EXIT.failure,
    );
    assert.match(missing.err, /Cannot read .*vulnrichment-cve5\.jsonl\.gz/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
