import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelledDoc } from '../../ingest/index.js';
import { recencyWeights } from './recency-weights.js';

const doc = (id: string, published?: string): LabelledDoc => ({
  id,
  text: id,
  label: 'high',
  labelSource: 'cvss-cna',
  cwes: [],
  format: 'cve5',
  ...(published === undefined ? {} : { published }),
});

test('recency weights halve per half-life from the newest month and average 1', () => {
  const docs = [
    doc('a', '2024-05-31T23:00:00Z'),
    doc('b', '2024-05-01T00:00:00Z'),
    doc('c', '2023-11-15T00:00:00Z'),
    doc('d', '2023-05-02T00:00:00Z'),
  ];
  const w = recencyWeights(docs, 6);
  assert.equal(w.length, 4);
  assert.ok(Math.abs((w[0] as number) - (w[1] as number)) < 1e-12, 'same month, same weight');
  assert.ok(Math.abs((w[2] as number) / (w[0] as number) - 0.5) < 1e-12, 'six months older: half');
  assert.ok(Math.abs((w[3] as number) / (w[0] as number) - 0.25) < 1e-12, 'twelve months older: a quarter');
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) / w.length - 1) < 1e-12, 'mean 1');
});

test('the reference month is the newest of the documents fitted', () => {
  const train = [doc('a', '2024-05-10T00:00:00Z'), doc('b', '2024-04-10T00:00:00Z')];
  const withValidation = [...train, doc('v', '2024-07-10T00:00:00Z')];
  const a = recencyWeights(train, 1);
  const b = recencyWeights(withValidation, 1);
  assert.ok(Math.abs((a[1] as number) / (a[0] as number) - 0.5) < 1e-12);
  assert.ok(Math.abs((b[0] as number) / (b[2] as number) - 0.25) < 1e-12, 'two months before the newest');
});

test('undated documents get the mean weight; half-life 0 turns weighting off', () => {
  const docs = [doc('a', '2024-05-10T00:00:00Z'), doc('b', '2024-03-10T00:00:00Z'), doc('weak')];
  const w = recencyWeights(docs, 2);
  assert.ok(Math.abs((w[2] as number) - 1) < 1e-12, 'undated: mean weight (1 after scaling)');
  assert.ok((w[0] as number) > 1 && (w[1] as number) < 1);
  assert.deepEqual(recencyWeights(docs, 0), [1, 1, 1]);
  assert.deepEqual(recencyWeights([doc('x'), doc('y')], 6), [1, 1], 'nothing dated: no weighting');
});
