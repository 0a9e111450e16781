import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblem, testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

const PREDICT = {
  method: 'POST' as const,
  url: '/api/v1/predict',
  payload: { text: 'Heap overflow in foo' },
};
const FEEDBACK = {
  method: 'POST' as const,
  url: '/api/v1/feedback',
  payload: { text: 'Heap overflow in foo', correctLabel: 'high' },
};

for (const backend of BACKENDS) {
  describe(`authentication and roles (${backend.name})`, () => {
    test('401 without a key, with a malformed, unknown or revoked key; the key is never echoed', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { authCacheTtlMs: 0 } });
      try {
        const none = await t.app.inject(PREDICT);
        assert.equal(none.statusCode, 401);
        assert.ok(isProblem(none));
        assert.equal(none.json().code, 'CS_ERR_UNAUTHENTICATED');
        assert.match(String(none.headers['www-authenticate']), /^Bearer/);
        const unknownKey = `csk_000000000000_${'A'.repeat(43)}`;
        for (const headers of [
          { authorization: 'Bearer nonsense' },
          { authorization: 'Basic dXNlcjpwYXNz' },
          { authorization: `Bearer ${unknownKey}` },
          { 'x-api-key': unknownKey },
        ]) {
          const res = await t.app.inject({ ...PREDICT, headers });
          assert.equal(res.statusCode, 401, JSON.stringify(headers));
          assert.doesNotMatch(res.body, /AAAAAAAA/);
        }
        const key = t.keys.predict.authorization.slice('Bearer '.length);
        const id = key.split('_')[1]!;
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 200);
        await store.apiKeys.revoke(id, t.clock.now());
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 401);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('403 for a valid key of the wrong role; admin may do everything; x-api-key works too', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const wrong = await t.app.inject({ ...PREDICT, headers: t.keys.feedback });
        assert.equal(wrong.statusCode, 403);
        assert.ok(isProblem(wrong));
        assert.equal(wrong.json().code, 'CS_ERR_FORBIDDEN');
        assert.deepEqual(wrong.json().required, ['predict', 'admin']);
        assert.equal((await t.app.inject({ ...FEEDBACK, headers: t.keys.predict })).statusCode, 403);
        assert.equal(
          (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.predict })).statusCode,
          403,
        );
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.admin })).statusCode, 200);
        assert.equal((await t.app.inject({ ...FEEDBACK, headers: t.keys.admin })).statusCode, 201);
        assert.equal((await t.app.inject({ ...FEEDBACK, headers: t.keys.feedback })).statusCode, 201);
        const viaHeader = { 'x-api-key': t.keys.predict.authorization.slice('Bearer '.length) };
        assert.equal((await t.app.inject({ ...PREDICT, headers: viaHeader })).statusCode, 200);
        for (const role of ['predict', 'feedback', 'admin'] as const) {
          const res = await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: t.keys[role] });
          assert.equal(res.statusCode, 200, role);
        }
        const prom = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin })).body;
        assert.match(prom, /cyberstreams_auth_rejections_total\{reason="role"\} 3/);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('auth is checked before the body is read: a bad body without a key is still 401', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: { 'content-type': 'application/json' },
          payload: '{not json',
        });
        assert.equal(res.statusCode, 401);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('a verified key is remembered for the cache TTL, then checked again', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { authCacheTtlMs: 5_000 } });
      try {
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 200);
        const id = t.keys.predict.authorization.split('_')[1]!;
        await store.apiKeys.revoke(id, t.clock.now());
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 200);
        t.clock.set(t.clock.now() + 5_001);
        assert.equal((await t.app.inject({ ...PREDICT, headers: t.keys.predict })).statusCode, 401);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('with auth explicitly disabled, requests need no key and are stored without one', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { authDisabled: true } });
      try {
        const res = await t.app.inject(PREDICT);
        assert.equal(res.statusCode, 200);
        assert.equal((await store.predictions.get(res.json().id))?.apiKeyId, null);
        assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('health, readiness and docs are public', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        for (const url of ['/health', '/ready', '/docs/json']) {
          assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200, url);
        }
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}
