import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTestSchema } from '../../test/helpers/postgres.js';
import { fixedClock } from '../core/index.js';
import { graphConformance } from './conformance.js';
import { openPostgresGraph } from './postgres-graph.js';

graphConformance('postgres', async () => {
  const { url, schema, drop } = await postgresTestSchema();
  const options = { url, schema, maxConnections: 2, clock: fixedClock(Date.UTC(2026, 0, 1)) };
  const graph = await openPostgresGraph(options);
  return {
    graph,
    openAnother: ({ adjacency }) =>
      openPostgresGraph({ ...options, ...(adjacency === undefined ? {} : { adjacency }) }),
    dispose: async () => {
      await graph.close();
      await drop();
    },
  };
});

test('postgres graph refuses an unsafe schema name and an unreachable server', async () => {
  await assert.rejects(openPostgresGraph({ url: 'postgres://127.0.0.1/test', schema: 'x; DROP' }), {
    code: 'CS_ERR_CONFIG_INVALID',
  });
  await assert.rejects(openPostgresGraph({ url: 'postgres://127.0.0.1:1/test' }), {
    code: 'CS_ERR_STORE_UNAVAILABLE',
  });
});
