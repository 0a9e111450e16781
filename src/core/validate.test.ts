import assert from 'node:assert/strict';
import { test } from 'node:test';
import Type from 'typebox';
import { AppError } from './errors.js';
import { validate } from './validate.js';

const Schema = Type.Object(
  { name: Type.String({ minLength: 1 }), n: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

test('validate returns a valid value and names every offending field of an invalid one, every call', () => {
  // Twice: the second call uses the compiled check kept for the schema.
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(validate(Schema, { name: 'a', n: 1 }, 'Thing'), { name: 'a', n: 1 });
    assert.throws(
      () => validate(Schema, { name: '', n: -1 }, 'Thing'),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'CS_ERR_VALIDATION');
        assert.match(err.message, /^Thing is invalid: /);
        const paths = (err.details as { problems: { path: string }[] }).problems.map((p) => p.path);
        assert.deepEqual(paths.sort(), ['/n', '/name']);
        return true;
      },
    );
    assert.throws(() => validate(Schema, 'x', 'Thing', 'CS_ERR_CONFIG_INVALID'), {
      code: 'CS_ERR_CONFIG_INVALID',
    });
  }
});
