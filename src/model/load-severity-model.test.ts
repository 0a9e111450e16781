import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusOf, TINY } from '../../test/fixtures/severity/corpus.js';
import { syntheticDocs } from '../../test/fixtures/severity/synthetic.js';
import { fixedClock } from '../core/index.js';
import { writeModelDir } from './format/model-dir.js';
import { loadSeverityModel } from './load-severity-model.js';
import { trainHashedSeverity } from './train/train-hashed-severity.js';

async function withModelDir(
  fn: (dir: string, reference: ReturnType<typeof trainHashedSeverity>) => Promise<void>,
) {
  const dir = await mkdtemp(join(tmpdir(), 'cs-model-'));
  try {
    const r = trainHashedSeverity(
      corpusOf(syntheticDocs(120, 5)),
      { ...TINY, epochs: 2 },
      { clock: fixedClock(0) },
    );
    await writeModelDir(dir, r.manifest, r.files);
    await fn(dir, r);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(m);
  await writeFile(path, JSON.stringify(m));
}

test('a saved model loads and predicts exactly as the trained one', async () => {
  await withModelDir(async (dir, r) => {
    const model = await loadSeverityModel(dir);
    assert.deepEqual(model.ref, { family: 'hashed-ngram', version: r.manifest.version });
    const inputs = [
      { text: 'unauthenticated remote code execution in server', source: 'alpha' },
      { text: 'verbose error message', cwes: ['CWE-209'] },
      { text: '' },
    ];
    const batch = model.predictBatch(inputs);
    inputs.forEach((input, i) => {
      const p = model.predict(input);
      assert.deepEqual(p, batch[i]);
      const q = r.model.predict(input);
      assert.equal(p.probabilities.length, 5);
      assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      p.probabilities.forEach((v, c) => {
        assert.ok(Math.abs(v - (q.probabilities[c] as number)) < 1e-6);
      });
      assert.equal(p.confidence, Math.max(...p.probabilities));
    });
    assert.equal(model.predict(inputs[0] as (typeof inputs)[0]).severity, 'critical');
    model.dispose();
    model.dispose();
  });
});

test('a manifest that does not match the code is refused with CS_ERR_MODEL_INCOMPATIBLE', async () => {
  const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ['unknown family', (m) => (m.family = 'gpt-9'), /unknown model family "gpt-9"/],
    ['other feature spec', (m) => (m.featureSpecVersion = 'hashed-ngram-text/0'), /feature spec/],
    ['newer format', (m) => (m.formatVersion = 2), /format version 2 is not supported/],
    [
      'other class order',
      (m) => (m.classes = ['low', 'medium', 'high', 'critical', 'informational']),
      /classes/,
    ],
    ['other task', (m) => (m.task = 'techniques'), /task is techniques/],
  ];
  for (const [name, edit, message] of cases) {
    await withModelDir(async (dir) => {
      await editManifest(dir, edit);
      await assert.rejects(loadSeverityModel(dir), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'CS_ERR_MODEL_INCOMPATIBLE', name);
        assert.match(err.message, message, name);
        return true;
      });
    });
  }
});

test('missing or broken files are CS_ERR_ARTEFACT_INVALID', async () => {
  await withModelDir(async (dir) => {
    await truncate(join(dir, 'weights.bin'), 100);
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
    await unlink(join(dir, 'weights.bin'));
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
  });
  await withModelDir(async (dir) => {
    await editManifest(dir, (m) => (m.calibration = { method: 'temperature', temperature: -1 }));
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
    await writeFile(join(dir, 'manifest.json'), '{not json');
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
    await unlink(join(dir, 'manifest.json'));
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
  });
});
