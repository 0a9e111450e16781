import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { fixedClock, isAppError } from '../core/index.js';
import {
  FEATURE_SPEC_VERSION,
  FEATURES_FILE,
  type FeatureArtefacts,
  featurize,
  fitFeatureArtefacts,
  serializeFeatureArtefacts,
} from '../features/index.js';
import { ANOMALY_FILES } from './format.js';
import { loadAnomalyFeatures, loadAnomalyModel, saveAnomalyModel } from './persist.js';
import { levelOf } from './quantiles.js';
import { fitStandardiser, standardise } from './standardiser.js';
import { type TrainedAnomaly, trainAnomalyModel } from './train.js';

interface Row {
  id: string;
  text: string;
  source?: string;
  published: string;
  split: 'train' | 'test';
}

// 240 train-split and 30 test-split CVE descriptions (CC0, see NOTICE and the fixture README).
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/explain/cve-sample.jsonl', import.meta.url));
const rows: Row[] = readFileSync(FIXTURE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Row);

const RECIPE =
  'Preheat the oven to 180 degrees. Cream the butter and sugar until pale and fluffy, then beat in the eggs one ' +
  'at a time. Fold in the flour and a pinch of salt, pour the batter into a lined tin and bake for 25 minutes ' +
  'until golden. Leave to cool before icing.';

function randomCharacters(n: number, seed: number): string {
  const alphabet =
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !@#$%^&*()_+-=[]{};:,./<>?';
  let s = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[s % alphabet.length];
  }
  return out;
}

let artefacts: FeatureArtefacts;
let trained: TrainedAnomaly;
let dir: string;
const vectorOf = (
  r: { text: string; source?: string; published?: string },
  referenceTime = Date.parse('2024-06-01'),
) => featurize(r, { artefacts, referenceTime });

before(async () => {
  const train = rows.filter((r) => r.split === 'train');
  // Artefacts from one half, the autoencoder from the other: vectors of the texts the LSA was fitted on carry
  // more embedding mass than unseen texts, which would skew the coverage table.
  artefacts = fitFeatureArtefacts(
    train.filter((_, i) => i % 2 === 0),
    { seed: 1 },
  );
  const vectors = train.filter((_, i) => i % 2 === 1).map((r) => vectorOf(r, Date.parse(r.published)));
  trained = await trainAnomalyModel(
    vectors,
    {
      featureSpecVersion: FEATURE_SPEC_VERSION,
      features: { sha256: 'a'.repeat(64), source: 'fitted in the test' },
      description: 'test fixture',
      clock: fixedClock(Date.parse('2026-01-01T00:00:00Z')),
    },
    {
      hidden: [32, 8, 32],
      epochs: 30,
      batchSize: 64,
      seed: 1,
      holdoutFraction: 0.2,
      backgroundRows: 8,
      quantiles: 101,
    },
  );
  dir = await mkdtemp(join(tmpdir(), 'anomaly-'));
});

after(async () => {
  trained.network.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('random characters and a recipe score higher than CVE descriptions', () => {
  const m = trained.model;
  const cve = rows
    .filter((r) => r.split === 'test')
    .map((r) => m.score(vectorOf(r, Date.parse(r.published))));
  const sorted = [...cve].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  for (const [name, text] of [
    ['random characters', randomCharacters(400, 7)],
    ['recipe', RECIPE],
  ] as const) {
    for (const doc of [{ text }, { text, published: '2024-05-31' }]) {
      const s = m.score(vectorOf(doc));
      assert.ok(s >= 0.99, `${name}: ${s}`);
      assert.ok(s > median, `${name}: ${s} vs CVE median ${median}`);
    }
  }
  // Unseen CVE descriptions from a later month stay mostly in the training range.
  assert.ok(median < 0.75, `CVE median score ${median}`);
  for (const s of cve) assert.ok(s >= 0 && s <= 1);
  assert.equal(trained.manifest.trainingData.holdoutRows, 24);
  assert.equal(trained.manifest.trainingData.fitRows, 96);
});

test('the JavaScript forward pass matches TF.js predict', () => {
  const v = vectorOf({ text: RECIPE });
  const s = trained.manifest.standardiser;
  const z = standardise({ mean: Float64Array.from(s.mean), std: Float64Array.from(s.std), clip: s.clip }, v);
  const y = tf.tidy(() => (trained.network.predict(tf.tensor2d(z, [1, z.length])) as tf.Tensor).dataSync());
  let mse = 0;
  for (let i = 0; i < z.length; i++) mse += (z[i]! - y[i]!) ** 2;
  mse /= z.length;
  const err = trained.model.reconstructionError(v);
  assert.ok(Math.abs(err - mse) < 1e-4 * Math.max(1, mse), `${err} vs ${mse}`);
  const d = trained.model.details(v);
  assert.equal(d.errorLevel, levelOf(trained.manifest.errorQuantiles, err));
  assert.equal(d.score, trained.model.score(v));
  assert.ok(d.coverage !== null && d.coverageLevel !== null, 'a 128-slot model uses the embedding coverage');
});

test('a saved model loads and scores exactly as the trained one', async () => {
  await saveAnomalyModel(dir, trained);
  const loaded = await loadAnomalyModel(dir);
  const docs = [...rows.slice(0, 5), { text: RECIPE }, { text: randomCharacters(300, 3) }];
  for (const d of docs) {
    const v = vectorOf(d);
    assert.equal(loaded.score(v), trained.model.score(v));
  }
  assert.equal(loaded.background.rows.length, 8);
  assert.equal(loaded.background.mean.length, 128);
  assert.deepEqual(loaded.scoreBatch([vectorOf({ text: RECIPE })]), [
    trained.model.score(vectorOf({ text: RECIPE })),
  ]);
  const modelJson = JSON.parse(await readFile(join(dir, ANOMALY_FILES.model), 'utf8'));
  assert.equal(modelJson.format, 'layers-model');
  assert.deepEqual(modelJson.weightsManifest[0].paths, [ANOMALY_FILES.weights]);
});

test('the feature artefacts are found by the hash the manifest records', async () => {
  const text = serializeFeatureArtefacts(artefacts);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const own = await mkdtemp(join(tmpdir(), 'anomaly-features-'));
  try {
    const modelDir = join(own, 'anomaly');
    await saveAnomalyModel(modelDir, {
      ...trained,
      manifest: { ...trained.manifest, features: { sha256, source: 't' } },
    });
    const loaded = await loadAnomalyModel(modelDir);
    await assert.rejects(loadAnomalyFeatures(modelDir, loaded), (e: unknown) =>
      isAppError(e, 'CS_ERR_MODEL_INCOMPATIBLE'),
    );
    // The severity model's file one level up, as in models/severity/features.json.
    await writeFile(join(own, FEATURES_FILE), text);
    const found = await loadAnomalyFeatures(modelDir, loaded);
    assert.deepEqual(found.vocabulary, artefacts.vocabulary);
    // A different file beside the model does not shadow the matching one.
    await writeFile(join(modelDir, FEATURES_FILE), '{}');
    assert.equal(
      (await loadAnomalyFeatures(modelDir, loaded)).vocabulary.length,
      artefacts.vocabulary.length,
    );
  } finally {
    await rm(own, { recursive: true, force: true });
  }
});

test('bad vectors, files and manifests are refused with stable codes', async () => {
  const m = trained.model;
  assert.throws(
    () => m.score(new Float32Array(127)),
    (e: unknown) => isAppError(e, 'CS_ERR_VALIDATION'),
  );
  const nan = new Float32Array(128);
  nan[3] = Number.NaN;
  assert.throws(
    () => m.score(nan),
    (e: unknown) => isAppError(e, 'CS_ERR_VALIDATION'),
  );

  const broken = await mkdtemp(join(tmpdir(), 'anomaly-bad-'));
  try {
    await assert.rejects(loadAnomalyModel(broken), (e: unknown) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID'));
    await saveAnomalyModel(broken, trained);
    const manifestPath = join(broken, ANOMALY_FILES.manifest);
    const good = await readFile(manifestPath, 'utf8');
    const edit = async (change: (m: Record<string, unknown>) => void) => {
      const m = JSON.parse(good) as Record<string, unknown>;
      change(m);
      await writeFile(manifestPath, JSON.stringify(m));
    };
    await edit((m) => {
      m.featureSpecVersion = '999';
    });
    await assert.rejects(loadAnomalyModel(broken), (e: unknown) =>
      isAppError(e, 'CS_ERR_MODEL_INCOMPATIBLE'),
    );
    await edit((m) => {
      (m.errorQuantiles as number[]).reverse();
    });
    await assert.rejects(loadAnomalyModel(broken), (e: unknown) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID'));
    await edit((m) => {
      delete m.standardiser;
    });
    await assert.rejects(
      loadAnomalyModel(broken),
      (e: unknown) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID') && /standardiser/.test(e.message),
    );
    await writeFile(manifestPath, good);
    await writeFile(join(broken, ANOMALY_FILES.weights), Buffer.alloc(12));
    await assert.rejects(loadAnomalyModel(broken), (e: unknown) => isAppError(e, 'CS_ERR_ARTEFACT_INVALID'));
  } finally {
    await rm(broken, { recursive: true, force: true });
  }
});

test('training options and vectors are validated', async () => {
  const info = {
    featureSpecVersion: '1',
    features: { sha256: 'a'.repeat(64), source: 't' },
    description: 't',
    clock: fixedClock(0),
  };
  const v = [new Float32Array(4), new Float32Array(4)];
  const bad = (p: Promise<unknown>) => assert.rejects(p, (e: unknown) => isAppError(e, 'CS_ERR_VALIDATION'));
  await bad(trainAnomalyModel([new Float32Array(4)], info));
  await bad(trainAnomalyModel([new Float32Array(4), new Float32Array(5)], info));
  await bad(trainAnomalyModel([Float32Array.of(1, Number.POSITIVE_INFINITY), new Float32Array(2)], info));
  await bad(trainAnomalyModel(v, info, { epochs: 0 }));
  await bad(trainAnomalyModel(v, info, { hidden: [] }));
  await bad(trainAnomalyModel(v, info, { holdoutFraction: 1 }));
});

test('the standardiser floors constant slots and clips outliers', () => {
  const s = fitStandardiser([Float32Array.of(0, 1), Float32Array.of(0, 3)], 0.01, 5);
  assert.deepEqual(Array.from(s.std), [0.01, 1]);
  assert.deepEqual(Array.from(standardise(s, [1, 2])), [5, 0]);
  assert.deepEqual(Array.from(standardise(s, [-1, 100])), [-5, 5]);
});
