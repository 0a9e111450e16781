import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelledDoc, SeverityClass } from '../../ingest/index.js';
import { dedupSplit, duplicateKey } from './dedup.js';

const doc = (id: string, text: string, label: SeverityClass): LabelledDoc => ({
  id,
  text,
  label,
  labelSource: 'cvss-cna',
  cwes: [],
  format: 'cve5',
});

test('duplicate keys ignore case and white space', () => {
  assert.equal(duplicateKey('  A  b\n c '), duplicateKey('a b c'));
  assert.notEqual(duplicateKey('a b c'), duplicateKey('a b d'));
});

test('texts seen later leave train; validation texts in test leave validation; test stays whole', () => {
  const { split, report } = dedupSplit({
    train: [
      doc('t1', 'Same as test', 'high'),
      doc('t2', 'same as validation', 'low'),
      doc('t3', 'Train twice', 'medium'),
      doc('t4', 'train  twice', 'medium'),
      doc('t5', 'train twice', 'high'),
      doc('t6', 'Tie', 'low'),
      doc('t7', 'tie', 'high'),
      doc('t8', 'unique', 'critical'),
    ],
    validation: [
      doc('v1', 'Same as validation', 'low'),
      doc('v2', 'same as TEST', 'high'),
      doc('v3', 'val only', 'low'),
    ],
    test: [doc('x1', 'same as test', 'high'), doc('x2', 'same as test', 'medium')],
    unplaced: [],
  });
  assert.deepEqual(
    split.train.map((d) => d.id),
    ['t4', 't8'],
  );
  assert.equal(split.train[0]?.label, 'medium');
  assert.deepEqual(
    split.validation.map((d) => d.id),
    ['v1', 'v3'],
  );
  assert.deepEqual(
    split.test.map((d) => d.id),
    ['x1', 'x2'],
  );
  assert.deepEqual(report, {
    trainInLaterSplits: 2,
    validationInTest: 1,
    trainDuplicatesMerged: 2,
    trainConflictsDropped: 2,
  });
});
