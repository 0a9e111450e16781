import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskConfigValue } from './mask.js';

test('passwords in URL-like values are masked, the rest is kept', () => {
  assert.equal(
    maskConfigValue('DATABASE_URL', 'postgresx://user:s3cret@127.0.0.1/qa2'),
    'postgresx://user:***@127.0.0.1/qa2',
  );
  assert.equal(maskConfigValue('REDIS_URL', 'redis://:s3cret@cache:6379/7'), 'redis://:***@cache:6379/7');
  // A password holding '@' or ':' is masked whole.
  assert.equal(maskConfigValue('REDIS_URL', 'redis://u:a@b:c@cache/7'), 'redis://u:***@cache/7');
  assert.equal(
    maskConfigValue('DATABASE_URL', 'postgres://db?password=x&user=u'),
    'postgres://db?password=***&user=u',
  );
  // Nothing secret: unchanged (a user name alone, a port, a path, numbers).
  assert.equal(maskConfigValue('DATABASE_URL', 'postgres://user@db:5432/x'), 'postgres://user@db:5432/x');
  assert.equal(maskConfigValue('REDIS_URL', 'redis://cache:6379/7'), 'redis://cache:6379/7');
  assert.equal(maskConfigValue('DATA_DIR', './data'), './data');
  assert.equal(maskConfigValue('PORT', 8080), 8080);
});

test('a secret-named variable is masked whole', () => {
  assert.equal(maskConfigValue('SOME_API_TOKEN', 'abc'), '***');
  assert.equal(maskConfigValue('DB_PASSWORD', 'abc'), '***');
});
