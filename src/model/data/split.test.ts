import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelledDoc } from '../../ingest/index.js';
import { splitByTime, splitOf } from './split.js';

test('the fixed split boundaries are month-exact in UTC', () => {
  assert.equal(splitOf('2024-05-31T23:59:59.999Z'), 'train');
  assert.equal(splitOf('2019-01-01T00:00:00Z'), 'train');
  assert.equal(splitOf('2024-06-01T00:00:00Z'), 'validation');
  assert.equal(splitOf('2024-07-31T23:59:59Z'), 'validation');
  assert.equal(splitOf('2024-08-01T00:00:00Z'), 'test');
  assert.equal(splitOf('2025-03-01T00:00:00Z'), 'test');
  // An offset moves the instant across the boundary.
  assert.equal(splitOf('2024-06-01T01:00:00+02:00'), 'train');
  assert.equal(splitOf(undefined), undefined);
  assert.equal(splitOf('not a date'), undefined);
});

test('documents without a date are kept apart', () => {
  const doc = (id: string, published?: string): LabelledDoc => ({
    id,
    text: id,
    labelSource: 'none',
    cwes: [],
    format: 'jsonl',
    ...(published ? { published } : {}),
  });
  const s = splitByTime([doc('a', '2024-01-01'), doc('b'), doc('c', '2024-06-02'), doc('d', '2024-09-09')]);
  assert.deepEqual(
    [s.train, s.validation, s.test, s.unplaced].map((p) => p.map((d) => d.id)),
    [['a'], ['c'], ['d'], ['b']],
  );
});
