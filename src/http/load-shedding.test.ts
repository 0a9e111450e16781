import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { fakePredictor } from '../../test/api/helpers/fake-predictor.js';
import { fixedClock } from '../core/index.js';
import { openSqliteStore } from '../store/index.js';
import { buildApp } from './app.js';

const SAMPLE_MS = 250;

/** Keeps the event loop busy for `ms` (what a backlog of CPU-bound requests does). */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

async function makeApp(shedEventLoopDelayMs: number) {
  const store = openSqliteStore({ path: ':memory:' });
  const app = await buildApp({
    store,
    logger: pino({ level: 'silent' }),
    clock: fixedClock(0),
    version: '9.9.9',
    predictor: fakePredictor(),
    settings: { authDisabled: true, shedEventLoopDelayMs },
  });
  return { app, store };
}

const predict = { method: 'POST' as const, url: '/api/v1/predict', payload: { text: 'CVE-2024-0001 in x' } };

/**
 * Blocks the loop for three samples, then waits until a sample has recorded
 * it (the sampler's timer may run before or after the delay is recorded, so
 * the sample that sees it is the first or the second after the block).
 */
async function overload(app?: FastifyInstance): Promise<void> {
  await sleep(SAMPLE_MS);
  block(SAMPLE_MS * 3);
  if (app === undefined) return sleep(SAMPLE_MS * 2).then(() => undefined);
  for (let i = 0; i < 100 && !app.isUnderPressure(); i++) await sleep(5);
  assert.ok(app.isUnderPressure(), 'the sampler never saw the blocked loop');
}

/**
 * Status of predict once the loop is calm: retried while a sample still shows
 * pressure (building the app blocks the loop too, and on a loaded machine a
 * sample can catch the process descheduled).
 */
async function statusWhenCalm(app: FastifyInstance): Promise<number> {
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    if (i > 0) await sleep(SAMPLE_MS / 2);
    status = (await app.inject(predict)).statusCode;
  }
  return status;
}

test('while the event loop is overloaded, predict is refused with 503 CS_ERR_OVERLOADED and Retry-After; health and feedback are served', async () => {
  const { app, store } = await makeApp(10);
  assert.equal(await statusWhenCalm(app), 200);
  await overload(app);
  const res = await app.inject(predict);
  assert.equal(res.statusCode, 503);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.headers['retry-after'], '1');
  const body = res.json();
  assert.equal(body.code, 'CS_ERR_OVERLOADED');
  assert.match(body.detail, /event-loop delay (\d+ ms|over one sample), limit 10 ms/);
  const batch = await app.inject({
    method: 'POST',
    url: '/api/v1/predict/batch',
    payload: { items: [{ text: 'x' }] },
  });
  assert.equal(batch.statusCode, 503);
  assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  const feedback = await app.inject({
    method: 'POST',
    url: '/api/v1/feedback',
    payload: { text: 'a report', correctLabel: 'high' },
  });
  assert.equal(feedback.statusCode, 201);
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /cyberstreams_http_requests_shed_total\{route="\/api\/v1\/predict"\} 1\b/);
  assert.match(
    metrics.body,
    /cyberstreams_http_requests_shed_total\{route="\/api\/v1\/predict\/batch"\} 1\b/,
  );
  // Once the loop is idle again, the next samples clear the pressure.
  assert.equal(await statusWhenCalm(app), 200);
  await app.close();
  await store.close();
});

test('with shedding off (the default), an overloaded loop still serves predict', async () => {
  const { app, store } = await makeApp(0);
  await overload();
  assert.equal((await app.inject(predict)).statusCode, 200);
  await app.close();
  await store.close();
});
