import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { METRICS } from '../../src/http/index.js';
import { testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

for (const backend of BACKENDS) {
  describe(`metrics (${backend.name})`, () => {
    test('GET /api/v1/metrics: manifest figures, live class counts, agreement and latency per version', async () => {
      const { store, dispose } = await backend.open();
      let tick = 0;
      // The clock ticks 1 ms per reading and a scored item reads it 4 times (start, model start,
      // model end, end), so every latency is 3 ms.
      const t = await testApp(store, { monotonic: () => (tick += 1) });
      try {
        const empty = (
          await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: t.keys.predict })
        ).json();
        assert.deepEqual(empty.activeModel, { family: 'fake', version: 'v1' });
        assert.equal(empty.models.length, 1);
        assert.deepEqual(empty.models[0].holdout, { macroF1: 0.61, accuracy: 0.68 });
        assert.equal(empty.models[0].latencyMs, null);
        const ids: string[] = [];
        for (const text of [
          'remote code execution',
          'stack overflow',
          'heap overflow',
          'denial of service',
        ]) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/predict',
            headers: t.keys.predict,
            payload: { text },
          });
          ids.push(res.json().id);
        }
        for (const [id, label] of [
          [ids[0], 'critical'],
          [ids[1], 'critical'],
        ] as const) {
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/feedback',
            headers: t.keys.feedback,
            payload: { predictionId: id, correctLabel: label },
          });
        }
        t.predictor.setModel({ family: 'fake', version: 'v2' });
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'x' },
        });

        const body = (
          await t.app.inject({ method: 'GET', url: '/api/v1/metrics', headers: t.keys.feedback })
        ).json();
        assert.deepEqual(body.activeModel, { family: 'fake', version: 'v2' });
        const v1 = body.models.find((m: { version: string }) => m.version === 'v1');
        const v2 = body.models.find((m: { version: string }) => m.version === 'v2');
        assert.equal(v1.active, false);
        assert.equal(v1.holdout, null); // the fake only knows its current version
        assert.deepEqual(v1.predictions, {
          total: 4,
          byClass: { critical: 1, high: 2, medium: 1, low: 0, informational: 0 },
        });
        assert.deepEqual(v1.feedback, { total: 2, agreed: 1, agreementRate: 0.5 });
        assert.deepEqual(v1.latencyMs, { window: 4, p50: 3, p95: 3, p99: 3 });
        assert.equal(v2.active, true);
        assert.equal(v2.predictions.byClass.informational, 1);
        assert.deepEqual(v2.holdout, { macroF1: 0.61, accuracy: 0.68 });
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}

describe('GET /metrics (Prometheus)', () => {
  test('exposes request and prediction metrics with bounded labels, and process metrics', async () => {
    const { store, dispose } = await BACKENDS[0]!.open();
    const t = await testApp(store);
    try {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/predict',
        headers: t.keys.predict,
        payload: { text: 'x' },
      });
      await t.app.inject({ method: 'GET', url: '/no/such/path/12345' });
      await t.app.inject({ method: 'POST', url: '/api/v1/predict', payload: { text: 'x' } });
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      const text = res.body;
      for (const name of Object.values(METRICS)) {
        assert.match(name, /^cyberstreams_[a-z_]+(_total|_seconds)$/);
        assert.ok(text.includes(`# TYPE ${name}`), name);
      }
      assert.match(
        text,
        /cyberstreams_http_requests_total\{method="POST",route="\/api\/v1\/predict",status_code="200"\} 1/,
      );
      assert.match(
        text,
        /cyberstreams_http_requests_total\{method="POST",route="\/api\/v1\/predict",status_code="401"\} 1/,
      );
      assert.match(text, /route="unmatched",status_code="404"/);
      assert.doesNotMatch(text, /12345/);
      assert.match(text, /cyberstreams_http_request_duration_seconds_bucket\{le="0.1",method="POST"/);
      assert.match(text, /cyberstreams_process_cpu_seconds_total/);
      assert.match(
        text,
        /cyberstreams_prediction_duration_seconds_count\{model_family="fake",model_version="v1"\} 1/,
      );
    } finally {
      await t.close();
      await dispose();
    }
  });
});
