import assert from 'node:assert/strict';
import { test } from 'node:test';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { readableSchemaErrors } from './schema-errors.js';

const Schema = Type.Object({
  level: Type.Union([Type.Literal('none'), Type.Literal('words'), Type.Literal('shapley')]),
  status: Type.Optional(Type.Union([Type.Enum(['a', 'b']), Type.Null()])),
  n: Type.Optional(Type.Integer({ minimum: 0 })),
});
const check = Compile(Schema);

test('a union of literals is one error listing the allowed values, not one per branch', () => {
  const errors = readableSchemaErrors(check.Errors({ level: 'all' }));
  assert.deepEqual(
    errors.map((e) => [e.instancePath, e.message]),
    [['/level', 'must be one of: none, words, shapley']],
  );
  // Of the wrong type too; an enum alike.
  for (const value of [{ level: 3 }, { level: null }]) {
    assert.deepEqual(
      readableSchemaErrors(check.Errors(value)).map((e) => e.message),
      ['must be one of: none, words, shapley'],
    );
  }
  assert.deepEqual(
    readableSchemaErrors(check.Errors({ level: 'none', status: 'c' })).map((e) => e.message),
    ['must be one of: a, b, null'],
  );
  // The null branch of a nullable enum, as ajv reports it.
  const ajvLike = [
    { instancePath: '/s', keyword: 'enum', params: { allowedValues: ['a', 'b'] }, message: 'enum' },
    { instancePath: '/s', keyword: 'type', params: { type: 'null' }, message: 'must be null' },
    { instancePath: '/s', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
    { instancePath: '/n', keyword: 'minimum', params: { limit: 0 }, message: 'must be >= 0' },
  ];
  assert.deepEqual(
    readableSchemaErrors(ajvLike).map((e) => [e.instancePath, e.message]),
    [
      ['/s', 'must be one of: a, b, null'],
      ['/n', 'must be >= 0'],
    ],
  );
});

test('other errors are kept, identical ones once', () => {
  const same = { instancePath: '/x', keyword: 'type', params: { type: 'string' }, message: 'must be string' };
  const other = { instancePath: '/x', keyword: 'minLength', params: { limit: 1 }, message: 'too short' };
  assert.deepEqual(readableSchemaErrors([same, same, other]), [same, other]);
  // An anyOf over non-literal branches keeps its branch errors.
  const union = [
    same,
    { instancePath: '/x', keyword: 'type', params: { type: 'number' }, message: 'must be number' },
    { instancePath: '/x', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
  ];
  assert.equal(readableSchemaErrors(union).length, 3);
});
