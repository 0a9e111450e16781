import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { fakePredictor } from '../../test/api/helpers/fake-predictor.js';
import { fixedClock } from '../core/index.js';
import { openSqliteStore } from '../store/index.js';
import { buildApp } from './app.js';

async function makeApp(predictor = fakePredictor()) {
  const store = openSqliteStore({ path: ':memory:' });
  const app = await buildApp({
    store,
    logger: pino({ level: 'silent' }),
    clock: fixedClock(0),
    version: '9.9.9',
    predictor,
  });
  return { app, store };
}

test('GET /health reports version and uptime', async () => {
  const { app, store } = await makeApp();
  const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-1' } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['x-request-id'], 'abc-1');
  const body = res.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.version, '9.9.9');
  assert.equal(typeof body.uptimeSeconds, 'number');
  await app.close();
  await store.close();
});

test('GET /ready is 200 while the store answers and 503 once it does not', async () => {
  const { app, store } = await makeApp();
  assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
  await store.close();
  const res = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().checks.store.ok, false);
  assert.equal(res.json().checks.model.ok, true);
  await app.close();
});

test('GET /ready is 503 while no model is loaded', async () => {
  const predictor = fakePredictor(null);
  const { app, store } = await makeApp(predictor);
  const res = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json().checks.model, { ok: false, detail: 'no severity model loaded' });
  assert.equal(res.json().checks.store.ok, true);
  predictor.setModel({ family: 'fake', version: 'v2' });
  assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
  await app.close();
  await store.close();
});

test('unknown routes answer problem+json 404', async () => {
  const { app, store } = await makeApp();
  const res = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(res.statusCode, 404);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(res.json().code, 'CS_ERR_NOT_FOUND');
  await app.close();
  await store.close();
});
