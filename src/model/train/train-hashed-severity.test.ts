import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusOf, TINY } from '../../../test/fixtures/severity/corpus.js';
import { syntheticDocs } from '../../../test/fixtures/severity/synthetic.js';
import { fixedClock } from '../../core/index.js';
import { evaluateSeverity } from '../eval/evaluate.js';
import { inputOf } from './hashed-trainer.js';
import { trainHashedSeverity } from './train-hashed-severity.js';

test('a tiny training run learns a separable fixture (fixed seed, tolerance)', () => {
  const corpus = corpusOf(syntheticDocs(360, 1));
  const epochs: number[] = [];
  const r = trainHashedSeverity(corpus, TINY, {
    clock: fixedClock(Date.UTC(2024, 9, 1)),
    hooks: { onEpoch: (_p, info) => epochs.push(info.loss) },
  });
  assert.equal(epochs.length, TINY.epochs);
  assert.ok((epochs.at(-1) as number) < (epochs[0] as number), 'loss decreases');
  const probs = corpus.test.map((d) => r.model.predict(inputOf(d)).probabilities);
  const ev = evaluateSeverity(
    corpus.test.map((d) => d.label ?? 'medium'),
    probs,
    { classes: 4 },
  );
  assert.ok(ev.n >= 40);
  assert.ok(ev.accuracy >= 0.95, `test accuracy ${ev.accuracy}`);
  assert.ok(r.calibration.temperature > 0);
  assert.equal(r.manifest.family, 'hashed-ngram');
  assert.equal(r.manifest.createdAt, '2024-10-01T00:00:00.000Z');
  assert.ok((r.manifest.metrics['validation.accuracy4'] as number) >= 0.9);
});

test('training is reproducible: same seed, same weights', () => {
  const corpus = corpusOf(syntheticDocs(120, 2));
  const opts = { clock: fixedClock(0) };
  const a = trainHashedSeverity(corpus, { ...TINY, epochs: 2 }, opts);
  const b = trainHashedSeverity(corpus, { ...TINY, epochs: 2 }, opts);
  const c = trainHashedSeverity(corpus, { ...TINY, epochs: 2, seed: 8 }, opts);
  assert.ok(a.files['weights.bin']?.equals(b.files['weights.bin'] as Buffer));
  assert.ok(!a.files['weights.bin']?.equals(c.files['weights.bin'] as Buffer));
  assert.equal(a.manifest.trainingData.sha256, b.manifest.trainingData.sha256);
});

test('k-fold cross-validation reports every fold', () => {
  const corpus = corpusOf(syntheticDocs(120, 3));
  const r = trainHashedSeverity(
    corpus,
    { ...TINY, epochs: 2 },
    { clock: fixedClock(0), crossValidationFolds: 3 },
  );
  assert.equal(r.crossValidation?.folds.length, 3);
  assert.equal(
    r.crossValidation?.folds.reduce((a, f) => a + f.n, 0),
    corpus.train.length,
  );
  assert.ok(Number.isFinite(r.manifest.metrics['cv3.accuracy4.mean']));
});

test('recency weighting changes the fit and is recorded in the manifest', () => {
  const corpus = corpusOf(syntheticDocs(120, 4));
  const opts = { clock: fixedClock(0) };
  const plain = trainHashedSeverity(corpus, { ...TINY, epochs: 2 }, opts);
  const recent = trainHashedSeverity(corpus, { ...TINY, epochs: 2, recencyHalfLifeMonths: 1 }, opts);
  assert.equal(plain.manifest.hyperparameters.recencyHalfLifeMonths, 0);
  assert.equal(recent.manifest.hyperparameters.recencyHalfLifeMonths, 1);
  assert.ok(!plain.files['weights.bin']?.equals(recent.files['weights.bin'] as Buffer));
});
