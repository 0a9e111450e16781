import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import { loadConfig } from './load.js';

test('defaults are the embedded setup', () => {
  const config = loadConfig({});
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.PORT, 8080);
  assert.equal(config.DATA_DIR, './data');
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.REDIS_URL, undefined);
  assert.equal(config.LOG_LEVEL, 'info');
  assert.ok(Object.isFrozen(config));
});

test('numbers are converted and empty strings count as unset', () => {
  const config = loadConfig({ PORT: '9090', DATABASE_URL: '' });
  assert.equal(config.PORT, 9090);
  assert.equal(config.DATABASE_URL, undefined);
});

test('bad values are rejected with the variable named', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }),
    (err: unknown) =>
      isAppError(err, 'CS_ERR_CONFIG_INVALID') && /PORT/.test(err.message) && /LOG_LEVEL/.test(err.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
});
