import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SEVERITY_CLASSES } from '../../src/model/index.js';
import { MemoryLruCache } from '../../src/store/index.js';
import { isProblem, testApp } from './helpers/app.js';
import { fakePredictor } from './helpers/fake-predictor.js';
import { BACKENDS } from './helpers/stores.js';

const RCE = 'A remote code execution flaw in Foo 1.2 (CVE-2024-12345) lets attackers run code.';

for (const backend of BACKENDS) {
  describe(`POST /api/v1/predict (${backend.name})`, () => {
    test('answers every field, stores the prediction with its model version, counts it', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: RCE, source: 'redhat', published: '2024-08-02T10:00:00Z', id: 'item-1' },
        });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.match(body.id, /^[0-9a-f-]{36}$/);
        assert.equal(body.itemId, 'item-1');
        assert.deepEqual(body.model, { family: 'fake', version: 'v1' });
        assert.equal(body.severity, 'critical');
        assert.deepEqual(Object.keys(body.probabilities), [...SEVERITY_CLASSES]);
        const sum = Object.values(body.probabilities as Record<string, number>).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-9);
        assert.equal(body.confidence, 0.6);
        assert.equal(body.anomalyScore, null);
        assert.deepEqual(body.entities.cves, ['CVE-2024-12345']);
        assert.equal(
          RCE.slice(body.entities.matches[0].start, body.entities.matches[0].end),
          'CVE-2024-12345',
        );
        assert.deepEqual(body.techniques, []);
        assert.equal(body.explanation, null);
        assert.equal(body.recommendations[0].reason, 'predicted critical');
        assert.equal(body.cached, false);
        assert.ok(body.latencyMs >= 0);

        const stored = await store.predictions.get(body.id);
        assert.equal(stored?.modelVersion, 'v1');
        assert.equal(stored?.severity, 'critical');
        assert.equal(stored?.itemId, 'item-1');
        assert.equal(stored?.source, 'redhat');
        assert.equal(stored?.text, RCE);
        assert.match(String(stored?.apiKeyId), /^[0-9a-f]{12}$/);
        assert.equal(stored?.createdAt, t.clock.now());

        const prom = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin });
        assert.match(
          prom.body,
          /cyberstreams_predictions_total\{model_family="fake",model_version="v1",severity="critical"\} 1/,
        );
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('the cache answers a repeated (normalised) text without the model; a new version misses', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { cache: new MemoryLruCache(100, { now: () => 0 }) });
      try {
        const ask = (text: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/predict',
            headers: t.keys.predict,
            payload: { text },
          });
        const first = (await ask('Heap overflow\r\nin bar')).json();
        const second = (await ask('Heap overflow\nin bar')).json();
        assert.equal(first.cached, false);
        assert.equal(second.cached, true);
        assert.equal(t.predictor.calls, 1);
        assert.notEqual(first.id, second.id);
        assert.deepEqual(second.probabilities, first.probabilities);
        // Both answers are stored, each with its own id.
        assert.equal((await store.predictions.get(second.id))?.cached, true);
        // Another source is another input.
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'Heap overflow\nin bar', source: 'x' },
        });
        assert.equal(t.predictor.calls, 2);
        // Another explanation level is another answer (the explanation differs): a miss.
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'Heap overflow\nin bar', source: 'x', explain: 'none' },
        });
        assert.equal(t.predictor.calls, 3);
        t.predictor.setModel({ family: 'fake', version: 'v2' });
        const third = (await ask('Heap overflow\nin bar')).json();
        assert.equal(third.cached, false);
        assert.equal(third.model.version, 'v2');
        assert.equal(t.predictor.calls, 4);
        const prom = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin })).body;
        assert.match(prom, /cyberstreams_prediction_cache_lookups_total\{result="hit"\} 1/);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('503 problem without a model; the request is not stored', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { predictor: fakePredictor(null) });
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: RCE },
        });
        assert.equal(res.statusCode, 503);
        assert.ok(isProblem(res));
        assert.equal(res.json().code, 'CS_ERR_MODEL_NOT_LOADED');
        assert.deepEqual(await store.predictions.classCounts(), []);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('a prediction slower than the time limit is a 503 timeout problem', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { requestTimeoutMs: 200 } });
      t.predictor.delayMs = 600;
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'slow overflow' },
        });
        assert.equal(res.statusCode, 503);
        assert.ok(isProblem(res));
        assert.equal(res.json().code, 'CS_ERR_TIMEOUT');
        // Let the abandoned handler finish before the store closes.
        await new Promise((r) => setTimeout(r, 600));
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('a predictor fault is a 500 without internals', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      t.predictor.failOn = 'BOOM';
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'BOOM' },
        });
        assert.equal(res.statusCode, 500);
        assert.ok(isProblem(res));
        assert.equal(res.json().detail, 'Internal error');
        assert.doesNotMatch(res.body, /model bug/);
      } finally {
        await t.close();
        await dispose();
      }
    });
  });

  describe(`POST /api/v1/predict/batch (${backend.name})`, () => {
    test('answers in order; invalid items get their own entries; valid ones are stored together', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      t.predictor.failOn = 'BOOM';
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict/batch',
          headers: t.keys.predict,
          payload: {
            items: [
              { text: RCE, id: 'a' },
              { text: '' },
              'not an object',
              { text: 'Stack overflow in baz', extra: 1 },
              { text: 'information leak', published: '2024-02-30' },
              { text: 'BOOM' },
              { text: 'denial of service', id: 'b' },
            ],
          },
        });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.equal(body.succeeded, 2);
        assert.equal(body.failed, 5);
        assert.deepEqual(
          body.results.map((r: { index: number; status: number }) => [r.index, r.status]),
          [
            [0, 200],
            [1, 400],
            [2, 400],
            [3, 400],
            [4, 400],
            [5, 500],
            [6, 200],
          ],
        );
        assert.equal(body.results[0].prediction.severity, 'critical');
        assert.equal(body.results[6].prediction.itemId, 'b');
        assert.equal(body.results[1].error.code, 'CS_ERR_VALIDATION');
        assert.equal(body.results[1].error.fields[0].field, 'items.1.text');
        assert.equal(body.results[2].error.fields[0].field, 'items.2');
        assert.ok(body.results[3].error.fields.some((f: { field: string }) => f.field === 'items.3.extra'));
        assert.equal(body.results[4].error.fields[0].field, 'items.4.published');
        assert.equal(body.results[5].error.detail, 'Internal error');
        for (const r of [body.results[0], body.results[6]]) {
          assert.equal((await store.predictions.get(r.prediction.id))?.modelVersion, 'v1');
        }
        const prom = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin })).body;
        assert.match(prom, /cyberstreams_batch_items_total\{outcome="rejected"\} 5/);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('the batch limits: item count, empty list, body size; all answered as problems', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { settings: { batchMaxItems: 3, batchMaxBytes: 2_000 } });
      try {
        const post = (payload: unknown) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/predict/batch',
            headers: t.keys.predict,
            payload: payload as object,
          });
        const tooMany = await post({ items: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] });
        assert.equal(tooMany.statusCode, 400);
        assert.ok(isProblem(tooMany));
        assert.equal(tooMany.json().fields[0].field, 'items');
        const empty = await post({ items: [] });
        assert.equal(empty.statusCode, 400);
        const missing = await post({});
        assert.equal(missing.json().fields[0].field, 'items');
        const big = await post({ items: [{ text: 'x'.repeat(3_000) }] });
        assert.equal(big.statusCode, 413);
        assert.ok(isProblem(big));
        assert.equal(big.json().limitBytes, 2_000);
        assert.equal((await post({ items: [{ text: 'ok' }] })).statusCode, 200);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('items not started within the time limit get 503 timeout entries; the rest are stored', async () => {
      const { store, dispose } = await backend.open();
      let now = 0;
      // Every clock reading advances 100 ms and an item reads it 4 times: the deadline (start + 1,000)
      // passes during the third item, so items 3-5 are not started.
      const t = await testApp(store, {
        monotonic: () => (now += 100),
        settings: { requestTimeoutMs: 1_000 },
      });
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict/batch',
          headers: t.keys.predict,
          payload: { items: Array.from({ length: 6 }, (_, i) => ({ text: `overflow ${i}` })) },
        });
        assert.equal(res.statusCode, 200);
        const statuses = res.json().results.map((r: { status: number }) => r.status);
        assert.deepEqual(statuses, [200, 200, 200, 503, 503, 503]);
        assert.equal(res.json().results[3].error.code, 'CS_ERR_TIMEOUT');
        assert.equal((await store.predictions.get(res.json().results[1].prediction.id))?.severity, 'high');
        assert.equal(t.app.server.requestTimeout, 1_000);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('a prototype-polluting key fails its item alone; at the top level it fails the body', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      const post = (payload: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/predict/batch',
          headers: { ...t.keys.predict, 'content-type': 'application/json' },
          payload,
        });
      try {
        const res = await post(
          '{"items":[{"text":"ok one"},{"text":"x","__proto__":{"admin":true}},{"text":"y","a":{"constructor":{}}}]}',
        );
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.deepEqual(
          body.results.map((r: { status: number }) => r.status),
          [200, 400, 400],
        );
        assert.equal(body.results[1].error.code, 'CS_ERR_VALIDATION');
        assert.deepEqual(
          body.results[1].error.fields.map((f: { field: string }) => f.field),
          ['items.1.__proto__'],
        );
        assert.equal(body.results[2].error.fields[0].field, 'items.2.a.constructor');
        assert.equal(t.predictor.calls, 1, 'the polluted items are never scored');
        assert.equal(({} as { admin?: unknown }).admin, undefined);
        for (const [payload, field] of [
          ['{"items":[{"text":"a"}],"__proto__":{"admin":true}}', '__proto__'],
          ['{"items":[{"text":"a"}],"x":{"constructor":{}}}', 'x.constructor'],
          ['{"items":{"__proto__":{}}}', 'items.__proto__'],
        ] as const) {
          const whole = await post(payload);
          assert.equal(whole.statusCode, 400, payload);
          assert.deepEqual(
            whole.json().fields.map((f: { field: string }) => f.field),
            [field],
          );
        }
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('without a model the whole batch is 503', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store, { predictor: fakePredictor(null) });
      try {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict/batch',
          headers: t.keys.predict,
          payload: { items: [{ text: 'x' }] },
        });
        assert.equal(res.statusCode, 503);
        assert.ok(isProblem(res));
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}
