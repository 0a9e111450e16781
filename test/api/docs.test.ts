import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.js';
import { testApp } from './helpers/app.js';

test('OpenAPI 3.1 document lists every API route with its schemas and security', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const t = await testApp(store);
  try {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const [path, method] of [
      ['/api/v1/predict', 'post'],
      ['/api/v1/predict/batch', 'post'],
      ['/api/v1/feedback', 'post'],
      ['/api/v1/metrics', 'get'],
      ['/metrics', 'get'],
      ['/health', 'get'],
      ['/ready', 'get'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
    const predict = doc.paths['/api/v1/predict'].post;
    const bodySchema = predict.requestBody.content['application/json'].schema;
    assert.equal(bodySchema.properties.text.maxLength, 100_000);
    assert.equal(bodySchema.additionalProperties, false);
    assert.ok(predict.responses['200'].content['application/json'].schema.properties.probabilities);
    assert.ok(predict.responses['401']);
    assert.deepEqual(predict.security, [{ apiKey: [] }, { bearer: [] }]);
    assert.ok(doc.components.securitySchemes.apiKey);
    assert.ok(!JSON.stringify(doc).includes('~kind'));
  } finally {
    await t.close();
    await store.close();
  }
});

test('the docs page and its assets are served locally, with no CDN reference', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const t = await testApp(store);
  try {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    const html =
      page.statusCode === 302
        ? (await t.app.inject({ method: 'GET', url: String(page.headers.location) })).body
        : page.body;
    assert.match(html, /swagger-ui/);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length >= 3);
    for (const ref of refs) {
      assert.doesNotMatch(ref, /^(https?:)?\/\//, `external reference ${ref}`);
    }
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-initializer.js']) {
      const res = await t.app.inject({ method: 'GET', url: `/docs/static/${asset}` });
      assert.equal(res.statusCode, 200, asset);
      assert.ok(res.body.length > 100, asset);
    }
  } finally {
    await t.close();
    await store.close();
  }
});

test('the docs CSP keeps its directives but not upgrade-insecure-requests (plain http on a LAN address)', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const t = await testApp(store);
  try {
    for (const url of ['/docs', '/docs/static/index.html', '/docs/static/swagger-initializer.js']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { host: '192.168.1.20:8080' } });
      const csp = String(res.headers['content-security-policy']);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/i, url);
      for (const directive of ["default-src 'self'", "object-src 'none'", "script-src 'self'"]) {
        assert.ok(csp.includes(directive), `${url}: ${directive} in ${csp}`);
      }
    }
  } finally {
    await t.close();
    await store.close();
  }
});
