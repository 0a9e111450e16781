import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTestSchema } from '../../test/helpers/postgres.js';
import { storeConformance } from './conformance.js';
import { openPostgresStore } from './postgres-store.js';

storeConformance('postgres', async () => {
  const { url, schema, drop } = await postgresTestSchema();
  const store = await openPostgresStore({ url, schema, maxConnections: 2 });
  return {
    store,
    dispose: async () => {
      await store.close();
      await drop();
    },
  };
});

test('postgres store refuses an unsafe schema name and an unreachable server', async () => {
  await assert.rejects(openPostgresStore({ url: 'postgres://127.0.0.1/test', schema: 'x; DROP' }), {
    code: 'CS_ERR_CONFIG_INVALID',
  });
  await assert.rejects(openPostgresStore({ url: 'postgres://127.0.0.1:1/test' }), {
    code: 'CS_ERR_STORE_UNAVAILABLE',
  });
});
