import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusOf, TINY } from '../../../test/fixtures/severity/corpus.js';
import { syntheticDocs } from '../../../test/fixtures/severity/synthetic.js';
import { fixedClock } from '../../core/index.js';
import { loadSeverityModel } from '../load-severity-model.js';
import { DEFAULT_MLP_SETTINGS } from '../mlp/mlp-settings.js';
import { poolProbabilities } from './ensemble-model.js';
import { trainEnsembleSeverity } from './train-ensemble.js';

test('pooling: linear is the weighted mean, log the renormalised weighted geometric mean', () => {
  const a = [0.5, 0.5, 0, 0, 0];
  const b = [0.1, 0.9, 0, 0, 0];
  assert.deepEqual(
    poolProbabilities([a, b], [0.5, 0.5], 'linear').map((v) => Number(v.toFixed(6))),
    [0.3, 0.7, 0, 0, 0],
  );
  const g = poolProbabilities([a, b], [0.5, 0.5], 'log');
  assert.ok(Math.abs((g[0] as number) / (g[1] as number) - Math.sqrt(0.05) / Math.sqrt(0.45)) < 1e-9);
  assert.ok(Math.abs(g.reduce((x, y) => x + y, 0) - 1) < 1e-12);
});

test('an ensemble trains both members, loads as one model and refuses a broken member', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-ens-'));
  try {
    const r = await trainEnsembleSeverity(
      corpusOf(syntheticDocs(160, 8)),
      {
        hashed: { ...TINY, epochs: 2 },
        mlp: { ...DEFAULT_MLP_SETTINGS, epochs: 2, maxVocabulary: 300, refitOnValidation: false },
      },
      dir,
      { clock: fixedClock(0) },
    );
    assert.ok(r.weight >= 0 && r.weight <= 1);
    assert.equal(r.validation.weightSearch.length, 21);
    const model = await loadSeverityModel(dir);
    assert.equal(model.ref.family, 'ensemble');
    const p = model.predict({ text: 'unauthenticated remote code execution in module' });
    assert.equal(p.probabilities.length, 5);
    assert.ok(Math.abs(p.probabilities.reduce((x, y) => x + y, 0) - 1) < 1e-9);
    assert.deepEqual(model.predictBatch([{ text: 'unauthenticated remote code execution in module' }])[0], p);
    model.dispose();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      config: { members: { path: string }[] };
    };
    assert.deepEqual(
      manifest.config.members.map((m) => m.path),
      ['hashed', 'mlp'],
    );
    await rm(join(dir, 'mlp', 'manifest.json'));
    await assert.rejects(loadSeverityModel(dir), { code: 'CS_ERR_ARTEFACT_INVALID' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
