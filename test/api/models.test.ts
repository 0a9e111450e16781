import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.js';
import { isProblem, testApp } from './helpers/app.js';
import { fakeLearning } from './helpers/fake-learning.js';

async function withApp(
  run: (t: Awaited<ReturnType<typeof testApp>>, calls: [string, unknown[]][]) => Promise<void>,
) {
  const store = openSqliteStore({ path: ':memory:' });
  const { deps, calls } = fakeLearning();
  const t = await testApp(store, { learning: deps });
  try {
    await run(t, calls);
  } finally {
    await t.close();
    await store.close();
  }
}

test('admin routes whose body is all optional take no body, or an empty one, as {}', async () => {
  await withApp(async (t, calls) => {
    const routes: [string, number, string][] = [
      ['/api/v1/models/hashed-ngram/rollback', 200, 'registry.rollback'],
      ['/api/v1/models/retrain', 202, 'queue.enqueue'],
      ['/api/v1/models/hashed-ngram/v2/promote', 200, 'registry.promote'],
      ['/api/v1/models/hashed-ngram/v2/demote', 200, 'registry.demote'],
    ];
    for (const [url, status, call] of routes) {
      for (const headers of [
        {},
        { 'content-type': 'application/json' },
        { 'content-type': 'application/json; charset=utf-8' },
      ]) {
        calls.length = 0;
        const res = await t.app.inject({ method: 'POST', url, headers: { ...t.keys.admin, ...headers } });
        assert.equal(res.statusCode, status, `${url} ${JSON.stringify(headers)}: ${res.body}`);
        assert.ok(
          calls.some(([name]) => name === call),
          `${url}: ${JSON.stringify(calls)}`,
        );
      }
    }
    // The defaults the handlers apply to an empty body.
    calls.length = 0;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/models/hashed-ngram/v2/promote',
      headers: t.keys.admin,
    });
    const promote = calls.find(([name]) => name === 'registry.promote')!;
    assert.equal(promote[1][1], 'active');
    assert.equal(promote[1][3], 'promoted over the API');
    // An explicit non-object is still refused, and so is an unknown key.
    for (const payload of ['null', '[]', '{"bogus":1}']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/models/hashed-ngram/rollback',
        headers: { ...t.keys.admin, 'content-type': 'application/json' },
        payload,
      });
      assert.equal(res.statusCode, 400, payload);
      assert.ok(isProblem(res));
    }
  });
});

test('routes with required bodies keep refusing a missing or empty body', async () => {
  await withApp(async (t) => {
    for (const url of ['/api/v1/predict', '/api/v1/feedback']) {
      const none = await t.app.inject({ method: 'POST', url, headers: t.keys.admin });
      assert.equal(none.statusCode, 400, none.body);
      assert.equal(none.json().fields[0].field, '(body)');
      const empty = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...t.keys.admin, 'content-type': 'application/json' },
        payload: '',
      });
      assert.equal(empty.statusCode, 400, empty.body);
      assert.match(empty.json().detail, /The body is empty/);
    }
  });
});

test('every GET route validates its query: a bad or unknown parameter is a 400 naming it', async () => {
  await withApp(async (t, calls) => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.keys.admin });
    for (const limit of ['abc', '0', '201', '-1', '5.5']) {
      const res = await get(`/api/v1/models/jobs?limit=${limit}`);
      assert.equal(res.statusCode, 400, `limit=${limit}: ${res.body}`);
      assert.ok(isProblem(res));
      assert.deepEqual(
        res.json().fields.map((f: { field: string }) => f.field),
        ['limit'],
      );
    }
    calls.length = 0;
    const ok = await get('/api/v1/models/jobs?limit=5');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(calls.find(([name]) => name === 'jobs.list')?.[1], [{ limit: 5 }]);
    calls.length = 0;
    await get('/api/v1/models/jobs');
    assert.deepEqual(calls.find(([name]) => name === 'jobs.list')?.[1], [{ limit: 50 }]);
    for (const url of [
      '/api/v1/metrics',
      '/api/v1/models',
      '/api/v1/models/experiments',
      '/api/v1/models/sources',
      '/api/v1/models/jobs',
      '/api/v1/models/jobs/j1',
      '/api/v1/models/hashed-ngram/v1',
      '/api/v1/review',
    ]) {
      const res = await get(`${url}?bogus=1`);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.deepEqual(
        res.json().fields.map((f: { field: string }) => f.field),
        ['bogus'],
        url,
      );
    }
    assert.equal((await get('/api/v1/review?limit=abc')).json().fields[0].field, 'limit');
    // Probes and the scrape route ignore parameters (load balancers and scrape configs add their own).
    for (const url of ['/health', '/ready', '/metrics']) {
      const res = await get(`${url}?_=1700000000&module=http`);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    }
  });
});
