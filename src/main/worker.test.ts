import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { loadConfig } from '../config/index.js';
import { startWorker } from './worker.js';

test('the worker names the Redis it works for with its DB index and without the password', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-worker-'));
  const url = new URL(TEST_REDIS_URL);
  url.pathname = '/8';
  url.password = 'not-shown';
  try {
    const worker = await startWorker(
      loadConfig({
        DATA_DIR: dir,
        REDIS_URL: url.toString(),
        REDIS_PREFIX: `cs-test-${randomBytes(6).toString('hex')}:`,
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      assert.equal(
        worker.address,
        `bullmq ${url.hostname}:${url.port || '6379'}/8 queue cyberstreams-learning`,
      );
    } finally {
      await worker.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
