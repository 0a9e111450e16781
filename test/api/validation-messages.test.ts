import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.js';
import { testApp } from './helpers/app.js';

test('an unknown enrich indicator type is one message listing the types, not one per type', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const enricher = {
    enrich: async () => {
      throw new Error('not reached: the body is invalid');
    },
  };
  const t = await testApp(store, { enricher });
  try {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enrich',
      headers: t.keys.predict,
      payload: { indicators: [{ type: 'ipv5', value: '1.2.3.4' }] },
    });
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.json().fields as { field: string; message: string }[];
    assert.equal(fields.length, 1, JSON.stringify(fields));
    assert.equal(fields[0]!.field, 'indicators.0.type');
    assert.match(fields[0]!.message, /^must be one of: ipv4, ipv6, domain, .*, pattern$/);
  } finally {
    await t.close();
    await store.close();
  }
});
