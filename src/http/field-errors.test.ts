import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldOf, isRealDate } from './field-errors.js';

test('fieldOf names nested, missing and unknown properties', () => {
  assert.equal(fieldOf('/text', {}), 'text');
  assert.equal(fieldOf('', { missingProperty: 'text' }), 'text');
  assert.equal(fieldOf('', { additionalProperty: 'x' }), 'x');
  assert.equal(fieldOf('', { requiredProperties: ['text'] }), 'text');
  assert.equal(fieldOf('/3', { additionalProperties: ['y'] }, 'items'), 'items.3.y');
  assert.equal(fieldOf('', {}), '(body)');
});

test('isRealDate refuses impossible calendar dates and times', () => {
  assert.equal(isRealDate('2024-02-29'), true);
  assert.equal(isRealDate('2024-08-01T12:00:00.123+02:00'), true);
  assert.equal(isRealDate('2023-02-29'), false);
  assert.equal(isRealDate('2024-02-30'), false);
  assert.equal(isRealDate('2024-13-01'), false);
  assert.equal(isRealDate('2024-01-01T25:00:00Z'), false);
  assert.equal(isRealDate('soon'), false);
});
