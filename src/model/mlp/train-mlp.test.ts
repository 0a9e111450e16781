import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusOf } from '../../../test/fixtures/severity/corpus.js';
import { syntheticDocs } from '../../../test/fixtures/severity/synthetic.js';
import { fixedClock } from '../../core/index.js';
import { loadSeverityModel } from '../load-severity-model.js';
import { DEFAULT_MLP_SETTINGS } from './mlp-settings.js';
import { trainMlpSeverity } from './train-mlp.js';

test('the TF.js baseline trains, saves in layers format and loads through loadSeverityModel', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-mlp-'));
  try {
    const losses: number[] = [];
    const r = await trainMlpSeverity(
      corpusOf(syntheticDocs(160, 3)),
      {
        ...DEFAULT_MLP_SETTINGS,
        epochs: 4,
        maxVocabulary: 500,
        refitOnValidation: false,
        classWeightPower: 0.5,
      },
      dir,
      { clock: fixedClock(0), hooks: { onEpoch: (_p, info) => losses.push(info.loss) } },
    );
    assert.equal(losses.length, 4);
    assert.ok((losses[3] as number) < (losses[0] as number), `loss ${losses.join(', ')}`);
    const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { format: string };
    assert.equal(modelJson.format, 'layers-model');
    const model = await loadSeverityModel(dir);
    assert.equal(model.ref.family, 'tfjs-mlp');
    assert.equal(model.ref.version, r.manifest.version);
    const [a, b] = model.predictBatch([{ text: 'unauthenticated remote code execution' }, { text: '' }]);
    for (const p of [a, b]) {
      assert.equal(p?.probabilities.length, 5);
      assert.ok(Math.abs((p?.probabilities.reduce((x, y) => x + y, 0) ?? 0) - 1) < 1e-6);
    }
    assert.deepEqual(
      model.predict({ text: 'unauthenticated remote code execution' }).probabilities,
      a?.probabilities,
    );
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
