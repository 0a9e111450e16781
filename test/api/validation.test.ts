import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isProblem, type TestApp, testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

for (const backend of BACKENDS)
  describe(`client mistakes are 4xx problem+json naming the field, never 5xx (${backend.name})`, () => {
    let t: TestApp;
    let dispose: () => Promise<void>;
    before(async () => {
      const opened = await backend.open();
      dispose = opened.dispose;
      t = await testApp(opened.store, { settings: { bodyMaxBytes: 450_000 } });
    });
    after(async () => {
      await t.close();
      await dispose();
    });

    const raw = (payload: string, contentType = 'application/json', url = '/api/v1/predict') =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...t.keys.admin, 'content-type': contentType },
        payload,
      });

    const cases: [string, string, number, string][] = [
      ['malformed JSON', '{"text": "abc"', 400, '(body)'],
      ['empty body', '', 400, '(body)'],
      ['JSON null', 'null', 400, '(body)'],
      ['array body', '[{"text":"a"}]', 400, '(body)'],
      ['string body', '"text"', 400, '(body)'],
      ['missing text', '{"source":"x"}', 400, 'text'],
      ['empty text', '{"text":""}', 400, 'text'],
      ['blank text', '{"text":" \\n\\t "}', 400, 'text'],
      ['text of wrong type', '{"text":42}', 400, 'text'],
      ['text as array', '{"text":["a"]}', 400, 'text'],
      ['unknown key', '{"text":"a","severity":"high"}', 400, 'severity'],
      ['__proto__ key', '{"text":"a","__proto__":{"admin":true}}', 400, '__proto__'],
      ['nested __proto__', '{"text":"a","x":{"__proto__":{"admin":true}}}', 400, 'x.__proto__'],
      ['escaped __proto__', '{"text":"a","\\u005f_proto__":{"admin":true}}', 400, '__proto__'],
      ['constructor key', '{"text":"a","constructor":{"prototype":{"admin":true}}}', 400, 'constructor'],
      ['bad published', '{"text":"a","published":"yesterday"}', 400, 'published'],
      ['impossible date', '{"text":"a","published":"2023-02-29"}', 400, 'published'],
      ['source too long', `{"text":"a","source":"${'s'.repeat(201)}"}`, 400, 'source'],
      ['unknown explain level', '{"text":"a","explain":"everything"}', 400, 'explain'],
      ['explain of wrong type', '{"text":"a","explain":true}', 400, 'explain'],
    ];
    for (const [name, payload, status, field] of cases) {
      test(name, async () => {
        const res = await raw(payload);
        assert.equal(res.statusCode, status, res.body);
        assert.ok(isProblem(res), res.body);
        const fields = (res.json().fields ?? []).map((f: { field: string }) => f.field);
        assert.ok(fields.includes(field), `${field} not in ${JSON.stringify(fields)}`);
      });
    }

    test('text of 100,000 characters is accepted, 100,001 is refused naming text', async () => {
      const ok = await raw(JSON.stringify({ text: 'é'.repeat(100_000) }));
      assert.equal(ok.statusCode, 200);
      const long = await raw(JSON.stringify({ text: 'a'.repeat(100_001) }));
      assert.equal(long.statusCode, 400);
      assert.equal(long.json().fields[0].field, 'text');
    });

    test('a body over the limit is 413 with the limit', async () => {
      const res = await raw(JSON.stringify({ text: 'a'.repeat(460_000) }));
      assert.equal(res.statusCode, 413);
      assert.ok(isProblem(res));
      assert.equal(res.json().code, 'CS_ERR_PAYLOAD_TOO_LARGE');
      assert.equal(res.json().limitBytes, 450_000);
    });

    test('other content types are 415 problems that say to send application/json', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        // What `curl -d '{...}'` sends: JSON under the form content type.
        const res = await raw('{"text":"abc"}', type);
        assert.equal(res.statusCode, 415, `${type}: ${res.body}`);
        assert.ok(isProblem(res));
        assert.equal(res.json().code, 'CS_ERR_UNSUPPORTED_MEDIA_TYPE');
        assert.match(res.json().detail, /application\/json/);
        assert.ok(res.json().detail.includes(type), res.json().detail);
      }
    });

    test('a value outside a list of literals is one message listing them, in a body or a batch item', async () => {
      const one = await raw('{"text":"a","explain":"all"}');
      assert.equal(one.statusCode, 400);
      assert.deepEqual(one.json().fields, [
        { field: 'explain', message: 'must be one of: none, words, shapley' },
      ]);
      assert.equal(one.json().detail, 'Invalid body: explain: must be one of: none, words, shapley');
      const batch = await raw(
        '{"items":[{"text":"a","explain":7}]}',
        'application/json',
        '/api/v1/predict/batch',
      );
      assert.equal(batch.statusCode, 200);
      assert.deepEqual(batch.json().results[0].error.fields, [
        { field: 'items.0.explain', message: 'must be one of: none, words, shapley' },
      ]);
    });

    test('deeply nested JSON is refused, not a crash', async () => {
      const deep = `{"text":"a","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
      const res = await raw(deep);
      assert.equal(res.statusCode, 400);
      assert.ok(isProblem(res));
    });
  });
