import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { fakePredictor } from '../../test/api/helpers/fake-predictor.js';
import { fixedClock } from '../core/index.js';
import { openSqliteStore } from '../store/index.js';
import { buildApp } from './app.js';

/** Keeps the event loop busy for `ms` (what a backlog of CPU-bound requests does). */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

async function makeApp(shedEventLoopLagMs: number) {
  const store = openSqliteStore({ path: ':memory:' });
  const app = await buildApp({
    store,
    logger: pino({ level: 'silent' }),
    clock: fixedClock(0),
    version: '9.9.9',
    predictor: fakePredictor(),
    settings: { authDisabled: true, shedEventLoopLagMs },
  });
  // Booting (plugins, schema compilation) holds the loop too; requests come after it, as after listen().
  await app.ready();
  return { app, store };
}

const predict = { method: 'POST' as const, url: '/api/v1/predict', payload: { text: 'CVE-2024-0001 in x' } };

test('while the event loop lags past the limit, predict and batch are refused with 503 CS_ERR_OVERLOADED and Retry-After; health and feedback are served', async () => {
  const { app, store } = await makeApp(100);
  await sleep(30);
  assert.equal((await app.inject(predict)).statusCode, 200);
  // Requests started after the loop was blocked (they have waited 300 ms) are refused...
  block(300);
  const refused = await Promise.all([
    app.inject(predict),
    app.inject({ method: 'POST', url: '/api/v1/predict/batch', payload: { items: [{ text: 'x' }] } }),
    app.inject({ method: 'GET', url: '/health' }),
    app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      payload: { text: 'a report', correctLabel: 'high' },
    }),
  ]);
  const [res, batch, health, feedback] = refused;
  assert.equal(res?.statusCode, 503);
  assert.match(String(res?.headers['content-type']), /application\/problem\+json/);
  assert.equal(res?.headers['retry-after'], '1');
  const body = res?.json();
  assert.equal(body.code, 'CS_ERR_OVERLOADED');
  assert.match(body.detail, /event-loop lag \d+ ms, limit 100 ms/);
  assert.equal(batch?.statusCode, 503);
  assert.equal(health?.statusCode, 200);
  assert.equal(feedback?.statusCode, 201);
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /cyberstreams_http_requests_shed_total\{route="\/api\/v1\/predict"\} 1\b/);
  assert.match(
    metrics.body,
    /cyberstreams_http_requests_shed_total\{route="\/api\/v1\/predict\/batch"\} 1\b/,
  );
  // ...and once the loop has turned again, predict is served.
  await sleep(30);
  assert.equal((await app.inject(predict)).statusCode, 200);
  await app.close();
  await store.close();
});

test('a lag under the limit, or shedding off (the default), serves predict', async () => {
  const on = await makeApp(1_000);
  await sleep(30);
  block(300);
  assert.equal((await on.app.inject(predict)).statusCode, 200);
  await on.app.close();
  await on.store.close();
  const off = await makeApp(0);
  block(300);
  assert.equal((await off.app.inject(predict)).statusCode, 200);
  await off.app.close();
  await off.store.close();
});
