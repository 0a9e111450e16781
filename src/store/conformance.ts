import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixedClock } from '../core/index.js';
import { createApiKey, verifyApiKey } from './api-key-secret.js';
import type { Store } from './contract.js';
import type { NewFeedback } from './feedback.js';
import { learningConformance } from './learning-conformance.js';
import type { NewPrediction } from './predictions.js';

/** A complete prediction record for tests; `overrides` replace single fields. */
function prediction(overrides: Partial<NewPrediction> = {}): NewPrediction {
  return {
    id: `p-${Math.random().toString(36).slice(2)}`,
    createdAt: 1_700_000_000_000,
    itemId: null,
    apiKeyId: null,
    modelFamily: 'fake',
    modelVersion: 'v1',
    severity: 'high',
    probabilities: [0.1, 0.6, 0.2, 0.05, 0.05],
    confidence: 0.6,
    anomalyScore: null,
    text: 'Buffer overflow in the foo daemon allows remote code execution.',
    textSha256: 'a'.repeat(64),
    source: null,
    published: null,
    latencyMs: 1.5,
    cached: false,
    details: { entities: { cves: [] }, techniques: [] },
    ...overrides,
  };
}

/** A complete feedback record for tests. */
function feedback(overrides: Partial<NewFeedback> = {}): NewFeedback {
  return {
    id: `f-${Math.random().toString(36).slice(2)}`,
    createdAt: 1_700_000_000_000,
    predictionId: null,
    text: 'some text',
    textSha256: 'b'.repeat(64),
    correctLabel: 'critical',
    techniques: null,
    comment: null,
    analyst: null,
    apiKeyId: null,
    modelFamily: null,
    modelVersion: null,
    predictedSeverity: null,
    ...overrides,
  };
}

/**
 * Builds a fresh, empty, migrated store for one test, and a function that
 * disposes of it (closing it and deleting its data).
 */
export type StoreFactory = () => Promise<{ store: Store; dispose: () => Promise<void> }>;

/**
 * The one conformance suite every {@link Store} implementation runs
 * (the BullMQ queue-backend pattern). Later features add their cases here,
 * so both backends are held to the same behaviour.
 */
export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    learningConformance(factory);

    test('answers ping and reports the latest schema version', async () => {
      const { store, dispose } = await factory();
      try {
        await store.ping();
        assert.ok((await store.schemaVersion()) >= 1);
      } finally {
        await dispose();
      }
    });

    test('close is idempotent and ping fails afterwards', async () => {
      const { store, dispose } = await factory();
      await store.close();
      await store.close();
      await assert.rejects(store.ping(), { code: 'CS_ERR_STORE_UNAVAILABLE' });
      await assert.rejects(store.predictions.insert([prediction()]), { code: 'CS_ERR_STORE_UNAVAILABLE' });
      await assert.rejects(store.feedback.insert(feedback()), { code: 'CS_ERR_STORE_UNAVAILABLE' });
      await dispose();
    });

    test('predictions round-trip every field', async () => {
      const { store, dispose } = await factory();
      try {
        const full = prediction({
          id: 'p-full',
          itemId: 'client-7',
          apiKeyId: 'abcdef012345',
          anomalyScore: 0.25,
          source: 'redhat',
          published: '2024-08-01T00:00:00Z',
          cached: true,
          details: { entities: { cves: ['CVE-2024-1234'] }, explanation: { top: [{ w: 'rce', v: 0.2 }] } },
        });
        await store.predictions.insert([full]);
        assert.deepEqual(await store.predictions.get('p-full'), full);
        assert.equal(await store.predictions.get('p-none'), undefined);
      } finally {
        await dispose();
      }
    });

    test('concurrent prediction inserts are all durable; a duplicate fails alone', async () => {
      const { store, dispose } = await factory();
      try {
        await store.predictions.insert([prediction({ id: 'dup' })]);
        const many = Array.from({ length: 40 }, (_, i) => prediction({ id: `c-${i}`, createdAt: 1000 + i }));
        const results = await Promise.allSettled([
          ...many.map((p) => store.predictions.insert([p])),
          store.predictions.insert([prediction({ id: 'dup' })]),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 40);
        const failed = results.find((r) => r.status === 'rejected');
        assert.equal((failed as PromiseRejectedResult).reason.code, 'CS_ERR_CONFLICT');
        for (const p of many) assert.equal((await store.predictions.get(p.id))?.createdAt, p.createdAt);
      } finally {
        await dispose();
      }
    });

    test('counts per class, recent latencies and the latest prediction of a text', async () => {
      const { store, dispose } = await factory();
      try {
        await store.predictions.insert([
          prediction({ id: 'a', severity: 'high', createdAt: 1000, latencyMs: 5 }),
          prediction({
            id: 'b',
            severity: 'high',
            createdAt: 2000,
            latencyMs: 7,
            textSha256: 'c'.repeat(64),
          }),
          prediction({ id: 'c', severity: 'low', createdAt: 3000, latencyMs: 9, textSha256: 'c'.repeat(64) }),
          prediction({ id: 'd', severity: 'low', modelVersion: 'v2', createdAt: 4000, latencyMs: 11 }),
        ]);
        assert.deepEqual(await store.predictions.classCounts(), [
          { modelFamily: 'fake', modelVersion: 'v1', severity: 'high', count: 2 },
          { modelFamily: 'fake', modelVersion: 'v1', severity: 'low', count: 1 },
          { modelFamily: 'fake', modelVersion: 'v2', severity: 'low', count: 1 },
        ]);
        assert.deepEqual(await store.predictions.recentLatencies('fake', 'v1', 2), [9, 7]);
        assert.deepEqual(await store.predictions.recentLatencies('fake', 'v9', 5), []);
        assert.equal((await store.predictions.latestByTextSha256('c'.repeat(64)))?.id, 'c');
        assert.equal(await store.predictions.latestByTextSha256('d'.repeat(64)), undefined);
      } finally {
        await dispose();
      }
    });

    test('purge deletes only old predictions, in chunks, and feedback survives it', async () => {
      const { store, dispose } = await factory();
      try {
        const old = Array.from({ length: 7 }, (_, i) => prediction({ id: `old-${i}`, createdAt: 1000 + i }));
        await store.predictions.insert([...old, prediction({ id: 'new', createdAt: 5000 })]);
        await store.feedback.insert(feedback({ id: 'f1', predictionId: 'old-0', modelVersion: 'v1' }));
        const chunks: string[][] = [];
        assert.equal(await store.predictions.purgeOlderThan(5000, 3, (ids) => void chunks.push(ids)), 7);
        assert.deepEqual(
          chunks.map((c) => c.length),
          [3, 3, 1],
        );
        assert.deepEqual(chunks.flat().sort(), old.map((p) => p.id).sort());
        assert.equal(await store.predictions.get('old-6'), undefined);
        assert.ok(await store.predictions.get('new'));
        const kept = await store.feedback.get('f1');
        assert.equal(kept?.predictionId, null);
        assert.equal(kept?.modelVersion, 'v1');
        assert.equal(kept?.text, 'some text');
        assert.equal(await store.predictions.purgeOlderThan(5000), 0);
      } finally {
        await dispose();
      }
    });

    test('feedback round-trips, links only to stored predictions, and rejects duplicates', async () => {
      const { store, dispose } = await factory();
      try {
        await store.predictions.insert([prediction({ id: 'p1' })]);
        const full = feedback({
          id: 'f-full',
          predictionId: 'p1',
          techniques: ['T1059.001', 'T1190'],
          comment: 'clearly RCE',
          analyst: 'ana',
          apiKeyId: 'abcdef012345',
          modelFamily: 'fake',
          modelVersion: 'v1',
          predictedSeverity: 'high',
        });
        await store.feedback.insert(full);
        assert.deepEqual(await store.feedback.get('f-full'), full);
        await assert.rejects(store.feedback.insert(full), { code: 'CS_ERR_CONFLICT' });
        await assert.rejects(store.feedback.insert(feedback({ predictionId: 'missing' })), {
          code: 'CS_ERR_NOT_FOUND',
        });
        assert.equal(await store.feedback.get('nope'), undefined);
      } finally {
        await dispose();
      }
    });

    test('feedback agreement per model version and paging in storage order', async () => {
      const { store, dispose } = await factory();
      try {
        const items = [
          feedback({
            id: 'f1',
            createdAt: 10,
            modelFamily: 'fake',
            modelVersion: 'v1',
            predictedSeverity: 'high',
            correctLabel: 'high',
          }),
          feedback({
            id: 'f2',
            createdAt: 10,
            modelFamily: 'fake',
            modelVersion: 'v1',
            predictedSeverity: 'high',
            correctLabel: 'low',
          }),
          feedback({
            id: 'f3',
            createdAt: 20,
            modelFamily: 'fake',
            modelVersion: 'v1',
            predictedSeverity: 'low',
            correctLabel: 'low',
          }),
          feedback({
            id: 'f4',
            createdAt: 30,
            modelFamily: 'fake',
            modelVersion: 'v2',
            predictedSeverity: null,
          }),
        ];
        for (const f of items) await store.feedback.insert(f);
        assert.deepEqual(await store.feedback.agreementByModel(), [
          { modelFamily: 'fake', modelVersion: 'v1', total: 3, agreed: 2 },
        ]);
        const first = await store.feedback.listAfter(null, 2);
        assert.deepEqual(
          first.map((f) => f.id),
          ['f1', 'f2'],
        );
        const last = first[1]!;
        const rest = await store.feedback.listAfter({ createdAt: last.createdAt, id: last.id }, 10);
        assert.deepEqual(
          rest.map((f) => f.id),
          ['f3', 'f4'],
        );
      } finally {
        await dispose();
      }
    });

    test('feedback agreement counts a prediction corrected twice once, with its latest item', async () => {
      const { store, dispose } = await factory();
      try {
        await store.predictions.insert([prediction({ id: 'pa' }), prediction({ id: 'pb' })]);
        const on = (over: Partial<NewFeedback>) =>
          feedback({ modelFamily: 'fake', modelVersion: 'v1', predictedSeverity: 'high', ...over });
        const items = [
          // pa: first disagreed, then agreed; its latest item counts, once.
          on({ id: 'h1', createdAt: 10, predictionId: 'pa', correctLabel: 'low' }),
          on({ id: 'h2', createdAt: 20, predictionId: 'pa', correctLabel: 'high' }),
          // pb: agreed, then disagreed (same creation time: the larger id is the later item).
          on({ id: 'h3', createdAt: 30, predictionId: 'pb', correctLabel: 'high' }),
          on({ id: 'h4', createdAt: 30, predictionId: 'pb', correctLabel: 'medium' }),
          // Items linked to no prediction each count.
          on({ id: 'h5', createdAt: 40, correctLabel: 'high' }),
          on({ id: 'h6', createdAt: 40, correctLabel: 'high' }),
        ];
        for (const f of items) await store.feedback.insert(f);
        assert.deepEqual(await store.feedback.agreementByModel(), [
          { modelFamily: 'fake', modelVersion: 'v1', total: 4, agreed: 3 },
        ]);
        // Every item is still stored.
        assert.equal((await store.feedback.listAfter(null, 10)).length, 6);
      } finally {
        await dispose();
      }
    });

    test('the latest feedback per prediction, at or before a position', async () => {
      const { store, dispose } = await factory();
      try {
        await store.predictions.insert([prediction({ id: 'pa' }), prediction({ id: 'pb' })]);
        const items = [
          feedback({ id: 'g1', createdAt: 10, predictionId: 'pa', correctLabel: 'low' }),
          feedback({ id: 'g2', createdAt: 20, predictionId: 'pa', correctLabel: 'high' }),
          feedback({ id: 'g3', createdAt: 20, predictionId: 'pb', correctLabel: 'medium' }),
          feedback({ id: 'g4', createdAt: 30, predictionId: 'pa', correctLabel: 'critical' }),
          feedback({ id: 'g5', createdAt: 30, predictionId: null }),
        ];
        for (const f of items) await store.feedback.insert(f);
        const latest = async (ids: string[], createdAt: number, id: string) =>
          (await store.feedback.latestByPrediction(ids, { createdAt, id })).map((f) => f.id).sort();
        assert.deepEqual(await latest(['pa', 'pb', 'pz'], 30, 'g4'), ['g3', 'g4']);
        // At or before the position, ties on time broken by id.
        assert.deepEqual(await latest(['pa', 'pb'], 20, 'g2'), ['g2']);
        assert.deepEqual(await latest(['pa', 'pb'], 20, 'g3'), ['g2', 'g3']);
        assert.deepEqual(await latest(['pa'], 9, 'z'), []);
        assert.deepEqual(await latest([], 99, 'z'), []);
        const [item] = await store.feedback.latestByPrediction(['pb'], { createdAt: 99, id: 'z' });
        assert.deepEqual(item, items[2]);
      } finally {
        await dispose();
      }
    });

    test('API keys: stored hashed, verified, listed, revoked once', async () => {
      const { store, dispose } = await factory();
      try {
        const clock = fixedClock(1_700_000_000_000);
        const { key, record } = await createApiKey(store.apiKeys, { role: 'predict', name: 'ci bot', clock });
        assert.match(key, /^csk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
        assert.ok(!JSON.stringify(await store.apiKeys.list()).includes(key.slice(17)));
        assert.deepEqual(await verifyApiKey(store.apiKeys, key), record);
        const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
        assert.equal(await verifyApiKey(store.apiKeys, tampered), undefined);
        assert.equal(await verifyApiKey(store.apiKeys, 'not a key'), undefined);
        await createApiKey(store.apiKeys, { role: 'admin', clock: fixedClock(clock.now() + 1) });
        assert.equal(await store.apiKeys.countActive(), 2);
        assert.equal(await store.apiKeys.revoke(record.id, clock.now() + 1), true);
        assert.equal(await store.apiKeys.revoke(record.id, clock.now() + 2), false);
        assert.equal(await store.apiKeys.revoke('000000000000', clock.now()), false);
        assert.equal(await verifyApiKey(store.apiKeys, key), undefined);
        assert.equal((await store.apiKeys.get(record.id))?.revokedAt, clock.now() + 1);
        assert.equal(await store.apiKeys.countActive(), 1);
        assert.deepEqual(
          (await store.apiKeys.list()).map((k) => k.role),
          ['predict', 'admin'],
        );
        await assert.rejects(createApiKey(store.apiKeys, { role: 'root', clock }), {
          code: 'CS_ERR_VALIDATION',
        });
        await assert.rejects(createApiKey(store.apiKeys, { role: 'admin', name: 'x\ny', clock }), {
          code: 'CS_ERR_VALIDATION',
        });
      } finally {
        await dispose();
      }
    });
  });
}
