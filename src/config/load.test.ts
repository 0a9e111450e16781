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

test('a value outside a list is named once with the allowed values', () => {
  assert.throws(
    () => loadConfig({ LOG_LEVEL: 'bogus' }),
    (err: unknown) => {
      assert.ok(isAppError(err, 'CS_ERR_CONFIG_INVALID'));
      assert.equal(
        err.message,
        'Invalid configuration: LOG_LEVEL: must be one of: fatal, error, warn, info, debug, trace, silent (got "bogus")',
      );
      return true;
    },
  );
});

test('API settings have safe defaults: auth on, bounded batches, retention on', () => {
  const config = loadConfig({});
  assert.equal(config.AUTH_DISABLED, false);
  assert.equal(config.RATE_LIMIT_MAX, 600);
  assert.equal(config.RATE_LIMIT_WINDOW_MS, 60_000);
  assert.equal(config.PREDICTION_RETENTION_DAYS, 90);
  assert.equal(config.BATCH_MAX_ITEMS, 1_000);
  assert.equal(config.BATCH_MAX_BYTES, 5 * 1024 * 1024);
  assert.equal(config.BODY_MAX_BYTES, 1024 * 1024);
  assert.equal(config.PREDICTION_CACHE_MAX_ENTRIES, 10_000);
  assert.equal(config.REDIS_PREFIX, 'cyberstreams:');
});

test('AUTH_DISABLED accepts only explicit booleans', () => {
  assert.equal(loadConfig({ AUTH_DISABLED: 'true' }).AUTH_DISABLED, true);
  assert.equal(loadConfig({ AUTH_DISABLED: 'false' }).AUTH_DISABLED, false);
  assert.throws(() => loadConfig({ AUTH_DISABLED: 'yes please' }), /AUTH_DISABLED/);
});

test('API limits are range-checked', () => {
  assert.equal(loadConfig({ BATCH_MAX_ITEMS: '50', PREDICTION_RETENTION_DAYS: '0' }).BATCH_MAX_ITEMS, 50);
  assert.throws(() => loadConfig({ BATCH_MAX_ITEMS: '0' }), /BATCH_MAX_ITEMS/);
  assert.throws(() => loadConfig({ RATE_LIMIT_MAX: '-1' }), /RATE_LIMIT_MAX/);
  assert.throws(() => loadConfig({ PREDICTION_RETENTION_DAYS: '-5' }), /PREDICTION_RETENTION_DAYS/);
  assert.throws(() => loadConfig({ BODY_MAX_BYTES: '10' }), /BODY_MAX_BYTES/);
});

test('a rejected URL is echoed with its password masked', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgresx://user:s3cret@127.0.0.1/qa2' }),
    (err: unknown) => {
      assert.ok(isAppError(err, 'CS_ERR_CONFIG_INVALID'));
      assert.equal(
        err.message,
        'Invalid configuration: DATABASE_URL: must match pattern "^(postgres|postgresql)://" (got "postgresx://user:***@127.0.0.1/qa2")',
      );
      assert.doesNotMatch(JSON.stringify(err.details), /s3cret/);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ REDIS_URL: 'http://:p@ss:w0rd@cache:6379/7' }),
    (err: unknown) =>
      isAppError(err, 'CS_ERR_CONFIG_INVALID') &&
      err.message.includes('(got "http://:***@cache:6379/7")') &&
      !/w0rd/.test(err.message),
  );
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'pg://user@db/x?sslmode=require&password=s3cret' }),
    (err: unknown) =>
      isAppError(err, 'CS_ERR_CONFIG_INVALID') &&
      err.message.includes('(got "pg://user@db/x?sslmode=require&password=***")'),
  );
});
