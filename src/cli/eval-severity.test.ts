import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusOf, TINY } from '../../test/fixtures/severity/corpus.js';
import { syntheticDocs } from '../../test/fixtures/severity/synthetic.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { fixedClock } from '../core/index.js';
import { trainHashedSeverity, writeModelDir } from '../model/index.js';
import { EXIT, runCli } from './program.js';

test('eval --task severity: the last stdout line is the contract JSON object', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cs-eval-sev-'));
  try {
    const model = join(root, 'model');
    const r = trainHashedSeverity(corpusOf(syntheticDocs(160, 6)), TINY, { clock: fixedClock(0) });
    await writeModelDir(model, r.manifest, r.files);
    const data = join(root, 'eval.jsonl');
    const docs = syntheticDocs(24, 12);
    const lines = docs.map((d, i) =>
      JSON.stringify({
        text: d.text,
        severity: i % 2 === 0 ? d.label?.toUpperCase() : d.label,
        source: d.source,
      }),
    );
    lines.push(JSON.stringify({ text: 'a weekly newsletter', severity: 'NONE' }));
    lines.push(JSON.stringify({ text: 'no label here' }));
    lines.push('{broken');
    await writeFile(data, `${lines.join('\n')}\n`);
    const ctx = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'severity', '--data', data, '--model', model], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    const out = JSON.parse(ctx.out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    for (const key of ['n', 'accuracy', 'macroF1', 'perClass', 'confusion', 'ece', 'selective'])
      assert.ok(key in out, key);
    assert.equal(out.n, 25);
    assert.equal(out.skipped, 2);
    const perClass = out.perClass as Record<
      string,
      { precision: number; recall: number; f1: number; support: number }
    >;
    assert.deepEqual(Object.keys(perClass), ['critical', 'high', 'medium', 'low', 'informational']);
    assert.equal(perClass.informational?.support, 1);
    assert.equal(perClass.critical?.support, 6);
    const confusion = out.confusion as number[][];
    assert.equal(confusion.length, 5);
    assert.equal(
      confusion.flat().reduce((a, b) => a + b, 0),
      25,
    );
    const selective = out.selective as Record<string, number>;
    assert.deepEqual(Object.keys(selective), ['0.5', '0.8', '1.0']);
    assert.equal(selective['1.0'], out.accuracy);
    assert.ok((out.accuracy as number) >= 0.9);
    assert.equal((out.fourClass as { n: number }).n, 24);
    assert.match(ctx.err, /skipped .*no severity label/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('eval refuses a file without labels and a missing model', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cs-eval-sev-'));
  try {
    const data = join(root, 'eval.jsonl');
    await writeFile(data, `${JSON.stringify({ text: 'x' })}\n`);
    const noModel = recordingContext();
    assert.equal(
      await runCli(
        ['eval', '--task', 'severity', '--data', data, '--model', join(root, 'none')],
        noModel,
        '0',
      ),
      EXIT.failure,
    );
    assert.match(noModel.err, /No readable model manifest/);
    const model = join(root, 'model');
    const r = trainHashedSeverity(
      corpusOf(syntheticDocs(80, 6)),
      { ...TINY, epochs: 1 },
      { clock: fixedClock(0) },
    );
    await writeModelDir(model, r.manifest, r.files);
    const ctx = recordingContext();
    assert.equal(
      await runCli(['eval', '--task', 'severity', '--data', data, '--model', model], ctx, '0'),
      EXIT.failure,
    );
    assert.match(ctx.err, /holds no labelled examples/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
