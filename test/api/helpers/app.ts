import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Clock } from '../../../src/core/index.js';
import { type AppDeps, buildApp } from '../../../src/http/index.js';
import { type ApiKeyRole, createApiKey, type Store } from '../../../src/store/index.js';
import { type FakePredictor, fakePredictor } from './fake-predictor.js';

/** A test app with its parts, and keys for each role. */
export interface TestApp {
  app: FastifyInstance;
  store: Store;
  predictor: FakePredictor;
  clock: Clock & { set(ms: number): void };
  /** Headers carrying a fresh key of the role. */
  keys: Record<ApiKeyRole, { authorization: string }>;
  close(): Promise<void>;
}

/** A clock tests can move. */
export function settableClock(start = 1_722_470_400_000): Clock & { set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
  };
}

/** Builds an app on `store` with a fake predictor, a silent logger and one key per role. */
export async function testApp(store: Store, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const clock = settableClock();
  const predictor = (overrides.predictor as FakePredictor | undefined) ?? fakePredictor();
  const app = await buildApp({
    store,
    logger: pino({ level: 'silent' }),
    clock,
    version: '9.9.9',
    predictor,
    ...overrides,
  });
  const keys = {} as TestApp['keys'];
  for (const role of ['predict', 'feedback', 'admin'] as const) {
    const { key } = await createApiKey(store.apiKeys, { role, name: `test ${role}`, clock });
    keys[role] = { authorization: `Bearer ${key}` };
  }
  return { app, store, predictor, clock, keys, close: () => app.close() };
}

/** True when a response is an application/problem+json document with a code. */
export function isProblem(res: { headers: Record<string, unknown>; json(): unknown }): boolean {
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return false;
  const body = res.json() as { code?: unknown; status?: unknown };
  return typeof body.code === 'string' && typeof body.status === 'number';
}
