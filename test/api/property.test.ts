import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { openSqliteStore } from '../../src/store/index.js';
import { isProblem, type TestApp, testApp } from './helpers/app.js';

const URLS = ['/api/v1/predict', '/api/v1/predict/batch', '/api/v1/feedback'] as const;
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
] as const;

/** Keys a real client might send, plus the dangerous ones. */
const key = fc.oneof(
  fc.constantFrom('text', 'source', 'published', 'id', 'items', 'predictionId', 'correctLabel', 'techniques'),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.string({ maxLength: 12 }),
);
/** Values of every JSON type, biased towards near-valid ones. */
const value = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('', ' ', 'critical', 'low', '2024-08-01', '2024-13-45', 'T1059.001', 'CVE-2024-1234'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
const objectBody = fc.dictionary(key, value, { maxKeys: 6 });
const batchBody = fc.record({ items: fc.array(fc.oneof(objectBody, value), { maxLength: 5 }) });
/** Bodies that are valid or one mutation away, so the property also exercises the success path. */
const nearValidItem = fc.record(
  {
    text: fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), value),
    source: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), value),
    published: fc.constantFrom('2024-08-01', '2024-08-01T10:00:00Z', '2024-02-30', 'x'),
    id: fc.string({ minLength: 1, maxLength: 20 }),
    correctLabel: fc.constantFrom('critical', 'high', 'medium', 'low', 'informational', 'bad'),
  },
  { requiredKeys: ['text'] },
);
const nearValid = fc.oneof(
  nearValidItem.map((o) => JSON.stringify(o)),
  fc.array(nearValidItem, { minLength: 1, maxLength: 4 }).map((items) => JSON.stringify({ items })),
);
/** A body: JSON of a near-valid object or any value, or text that is not JSON at all. */
const body = fc.oneof(
  { arbitrary: nearValid, weight: 6 },
  objectBody.map((o) => JSON.stringify(o)),
  batchBody.map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  // Hand-written object text so keys like __proto__ survive as written.
  fc
    .array(fc.tuple(key, value), { maxLength: 4 })
    .map(
      (pairs) =>
        `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
    ),
);

describe('property: random and malformed bodies never cause a 5xx', () => {
  let t: TestApp;
  before(async () => {
    // In memory: the property is about the HTTP layer, and file syncs would only slow it down.
    t = await testApp(openSqliteStore({ path: ':memory:' }), { settings: { rateLimitMax: 1_000_000 } });
  });
  after(async () => {
    await t.close();
    await t.store.close();
  });

  test('every answer is 2xx, or 4xx with application/problem+json', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...URLS),
        fc.oneof(
          { arbitrary: fc.constant('application/json'), weight: 4 },
          fc.constantFrom(...CONTENT_TYPES),
        ),
        body,
        async (url, contentType, payload) => {
          const res = await t.app.inject({
            method: 'POST',
            url,
            headers: { ...t.keys.admin, 'content-type': contentType },
            payload,
          });
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          assert.ok(
            res.statusCode < 500,
            `${res.statusCode} for ${url} ${contentType} ${payload}: ${res.body}`,
          );
          if (res.statusCode >= 400) assert.ok(isProblem(res), res.body);
          else assert.match(String(res.headers['content-type']), /^application\/json/);
        },
      ),
      { seed: 20240801, numRuns: 600 },
    );
    // The generators must reach both outcomes, or the property proves little.
    assert.ok((seen.get(400) ?? 0) > 50, JSON.stringify([...seen]));
    assert.ok((seen.get(200) ?? 0) > 50, JSON.stringify([...seen]));
  });
});
