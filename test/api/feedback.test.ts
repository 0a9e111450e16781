import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblem, testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

for (const backend of BACKENDS) {
  describe(`POST /api/v1/feedback (${backend.name})`, () => {
    test('by predictionId: 201, durable, linked to the prediction and its model version', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const p = (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/predict',
            headers: t.keys.predict,
            payload: { text: 'Heap overflow in foo' },
          })
        ).json();
        t.predictor.setModel({ family: 'fake', version: 'v2' });
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/feedback',
          headers: t.keys.feedback,
          payload: {
            predictionId: p.id,
            correctLabel: 'critical',
            techniques: ['T1190', 'T1059.001'],
            comment: 'pre-auth',
            analyst: 'ana',
          },
        });
        assert.equal(res.statusCode, 201);
        const body = res.json();
        assert.equal(body.predictionId, p.id);
        assert.deepEqual(body.model, { family: 'fake', version: 'v1' });
        assert.equal(body.predictedSeverity, 'high');
        assert.equal(body.agreed, false);
        assert.equal(body.createdAt, new Date(t.clock.now()).toISOString());
        const stored = await store.feedback.get(body.id);
        assert.equal(stored?.modelVersion, 'v1');
        assert.equal(stored?.text, 'Heap overflow in foo');
        assert.deepEqual(stored?.techniques, ['T1190', 'T1059.001']);
        assert.equal(stored?.analyst, 'ana');
        assert.match(String(stored?.apiKeyId), /^[0-9a-f]{12}$/);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('by text: linked to the latest prediction of that text, else to the active model', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const p = (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/predict',
            headers: t.keys.predict,
            payload: { text: 'denial of service in bar' },
          })
        ).json();
        const linked = await t.app.inject({
          method: 'POST',
          url: '/api/v1/feedback',
          headers: t.keys.feedback,
          payload: { text: 'denial of service in bar', correctLabel: 'medium' },
        });
        assert.equal(linked.statusCode, 201);
        assert.equal(linked.json().predictionId, p.id);
        assert.equal(linked.json().agreed, true);
        const unlinked = await t.app.inject({
          method: 'POST',
          url: '/api/v1/feedback',
          headers: t.keys.feedback,
          payload: { text: 'never predicted', correctLabel: 'low' },
        });
        assert.equal(unlinked.statusCode, 201);
        assert.equal(unlinked.json().predictionId, null);
        assert.equal(unlinked.json().predictedSeverity, null);
        assert.equal(unlinked.json().agreed, null);
        assert.deepEqual(unlinked.json().model, { family: 'fake', version: 'v1' });
        assert.equal((await store.feedback.get(unlinked.json().id))?.text, 'never predicted');
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('errors: unknown prediction 404, both or neither 400, bad label or technique 400; nothing stored', async () => {
      const { store, dispose } = await backend.open();
      const t = await testApp(store);
      try {
        const post = (payload: object) =>
          t.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: t.keys.feedback, payload });
        const missing = await post({ predictionId: 'nope', correctLabel: 'low' });
        assert.equal(missing.statusCode, 404);
        assert.ok(isProblem(missing));
        assert.equal(missing.json().fields[0].field, 'predictionId');
        const both = await post({ predictionId: 'x', text: 'y', correctLabel: 'low' });
        assert.equal(both.statusCode, 400);
        assert.deepEqual(
          both.json().fields.map((f: { field: string }) => f.field),
          ['predictionId', 'text'],
        );
        assert.equal((await post({ correctLabel: 'low' })).statusCode, 400);
        const label = await post({ text: 'y', correctLabel: 'catastrophic' });
        assert.equal(label.statusCode, 400);
        assert.equal(label.json().fields[0].field, 'correctLabel');
        const technique = await post({ text: 'y', correctLabel: 'low', techniques: ['T12'] });
        assert.equal(technique.json().fields[0].field, 'techniques.0');
        assert.equal((await post({ text: 'y' })).json().fields[0].field, 'correctLabel');
        assert.deepEqual(await store.feedback.listAfter(null, 10), []);
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}
