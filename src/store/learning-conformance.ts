import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './contract.js';
import type { NewFeedback } from './feedback.js';
import type { NewModelVersion } from './model-registry.js';
import type { NewPrediction } from './predictions.js';

function version(overrides: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    family: 'fam',
    version: 'v1',
    status: 'candidate',
    parentVersion: null,
    artefactDir: '/tmp/models/fam/v1',
    trainingDataSha256: 'e'.repeat(64),
    metrics: { macroF1: 0.61, accuracy: 0.7 },
    manifest: { formatVersion: 1, version: 'v1' },
    evaluation: null,
    createdAt: 1_000,
    actor: 'test',
    reason: 'registered by a test',
    ...overrides,
  };
}

function prediction(overrides: Partial<NewPrediction> = {}): NewPrediction {
  return {
    id: `p-${Math.random().toString(36).slice(2)}`,
    createdAt: 1_000,
    itemId: null,
    apiKeyId: null,
    modelFamily: 'fam',
    modelVersion: 'v1',
    severity: 'high',
    probabilities: [0.1, 0.6, 0.2, 0.05, 0.05],
    confidence: 0.6,
    anomalyScore: null,
    text: 'text',
    textSha256: 'a'.repeat(64),
    source: null,
    published: null,
    latencyMs: 1,
    cached: false,
    details: {},
    ...overrides,
  };
}

function feedback(overrides: Partial<NewFeedback> = {}): NewFeedback {
  return {
    id: `f-${Math.random().toString(36).slice(2)}`,
    createdAt: 1_000,
    predictionId: null,
    text: 'text',
    textSha256: 'a'.repeat(64),
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
 * Conformance cases of the self-learning loop's repositories (registry, jobs,
 * leases, cursors, reputations, experiments, review queue). Called from
 * `storeConformance`, so every backend runs them.
 */
export function learningConformance(
  factory: () => Promise<{ store: Store; dispose: () => Promise<void> }>,
): void {
  test('registry: round trip, one active per family, transitions with history, rollback material', async () => {
    const { store, dispose } = await factory();
    try {
      const v1 = await store.models.register(version({ status: 'active', reason: 'shipped' }));
      assert.equal(v1.status, 'active');
      assert.deepEqual(v1.metrics, { macroF1: 0.61, accuracy: 0.7 });
      assert.deepEqual(v1.manifest, { formatVersion: 1, version: 'v1' });
      await assert.rejects(store.models.register(version()), { code: 'CS_ERR_CONFLICT' });
      await assert.rejects(store.models.register(version({ version: 'v1b', status: 'active' })), {
        code: 'CS_ERR_CONFLICT',
      });
      await store.models.register(
        version({ version: 'v2', parentVersion: 'v1', createdAt: 2_000, evaluation: { passed: true } }),
      );
      await store.models.register(version({ family: 'other', version: 'v1', status: 'active' }));
      const result = await store.models.transition({
        family: 'fam',
        version: 'v2',
        to: 'active',
        actor: 'gate',
        reason: 'passed the gate',
        at: 3_000,
        expectedFrom: ['candidate'],
      });
      assert.equal(result.changed.status, 'active');
      assert.equal(result.changed.statusChangedAt, 3_000);
      assert.equal(result.demoted?.version, 'v1');
      assert.equal(result.demoted?.status, 'retired');
      assert.deepEqual(
        (await store.models.withStatus('fam', 'active')).map((v) => v.version),
        ['v2'],
      );
      assert.equal((await store.models.withStatus('other', 'active'))[0]?.version, 'v1');
      await assert.rejects(
        store.models.transition({
          family: 'fam',
          version: 'v2',
          to: 'active',
          actor: 'x',
          reason: 'y',
          at: 4_000,
        }),
        { code: 'CS_ERR_CONFLICT' },
      );
      await assert.rejects(
        store.models.transition({
          family: 'fam',
          version: 'v1',
          to: 'canary',
          actor: 'x',
          reason: 'y',
          at: 4_000,
          expectedFrom: ['candidate'],
        }),
        { code: 'CS_ERR_CONFLICT' },
      );
      await assert.rejects(
        store.models.transition({
          family: 'fam',
          version: 'v9',
          to: 'active',
          actor: 'x',
          reason: 'y',
          at: 4_000,
        }),
        { code: 'CS_ERR_NOT_FOUND' },
      );
      const history = await store.models.history('fam');
      assert.deepEqual(
        history.map((h) => [h.version, h.fromStatus, h.toStatus, h.actor]),
        [
          ['v1', null, 'active', 'test'],
          ['v2', null, 'candidate', 'test'],
          ['v1', 'active', 'retired', 'gate'],
          ['v2', 'candidate', 'active', 'gate'],
        ],
      );
      assert.ok(history.every((h, i) => i === 0 || h.seq > history[i - 1]!.seq));
      assert.equal((await store.models.history('fam', 'v2')).length, 2);
      await store.models.setEvaluation('fam', 'v2', { passed: true, reasons: ['ok'] });
      assert.deepEqual((await store.models.get('fam', 'v2'))?.evaluation, { passed: true, reasons: ['ok'] });
      await assert.rejects(store.models.setEvaluation('fam', 'v9', {}), { code: 'CS_ERR_NOT_FOUND' });
      assert.deepEqual(
        (await store.models.list()).map((v) => `${v.family}/${v.version}`),
        ['fam/v1', 'other/v1', 'fam/v2'],
      );
      assert.deepEqual(
        (await store.models.list('fam')).map((v) => v.version),
        ['v1', 'v2'],
      );
    } finally {
      await dispose();
    }
  });

  test('registry: concurrent promotions leave exactly one active version', async () => {
    const { store, dispose } = await factory();
    try {
      await store.models.register(version({ status: 'active' }));
      for (let i = 2; i <= 6; i++) await store.models.register(version({ version: `v${i}`, createdAt: i }));
      const results = await Promise.allSettled(
        [2, 3, 4, 5, 6].map((i) =>
          store.models.transition({
            family: 'fam',
            version: `v${i}`,
            to: 'active',
            actor: 'race',
            reason: 'race',
            at: 10 + i,
          }),
        ),
      );
      assert.ok(results.every((r) => r.status === 'fulfilled'));
      assert.equal((await store.models.withStatus('fam', 'active')).length, 1);
      assert.equal((await store.models.withStatus('fam', 'retired')).length, 5);
    } finally {
      await dispose();
    }
  });

  test('jobs: one queued job per family, patches, listing and status queries', async () => {
    const { store, dispose } = await factory();
    try {
      const job = {
        kind: 'retrain',
        family: 'fam',
        trigger: 'manual',
        requestedBy: 'cli',
        payload: { a: 1 },
      };
      const first = await store.jobs.createUnlessQueued({ ...job, id: 'j1', createdAt: 1 });
      assert.equal(first.created, true);
      assert.equal(first.job.status, 'queued');
      assert.deepEqual(first.job.payload, { a: 1 });
      const again = await store.jobs.createUnlessQueued({
        ...job,
        id: 'j2',
        createdAt: 2,
        trigger: 'feedback',
      });
      assert.equal(again.created, false);
      assert.equal(again.job.id, 'j1');
      const other = await store.jobs.createUnlessQueued({ ...job, id: 'j3', family: 'other', createdAt: 3 });
      assert.equal(other.created, true);
      const running = await store.jobs.update('j1', { status: 'running', startedAt: 5, attempts: 1 }, 5);
      assert.equal(running.status, 'running');
      assert.equal(running.startedAt, 5);
      assert.equal(running.updatedAt, 5);
      // A running job does not block queueing the next one.
      assert.equal((await store.jobs.createUnlessQueued({ ...job, id: 'j4', createdAt: 6 })).created, true);
      const done = await store.jobs.update(
        'j1',
        { status: 'succeeded', progress: 1, result: { promoted: true }, finishedAt: 9, message: 'done' },
        9,
      );
      assert.deepEqual(done.result, { promoted: true });
      assert.equal(done.progress, 1);
      assert.equal(done.message, 'done');
      assert.equal(done.startedAt, 5);
      await assert.rejects(store.jobs.update('nope', { progress: 0.5 }, 10), { code: 'CS_ERR_NOT_FOUND' });
      assert.deepEqual(
        (await store.jobs.list({ limit: 10 })).map((j) => j.id),
        ['j4', 'j3', 'j1'],
      );
      assert.deepEqual(
        (await store.jobs.list({ family: 'fam', limit: 1 })).map((j) => j.id),
        ['j4'],
      );
      assert.deepEqual(
        (await store.jobs.withStatus(['queued'])).map((j) => j.id),
        ['j3', 'j4'],
      );
      assert.equal(await store.jobs.get('nope'), undefined);
    } finally {
      await dispose();
    }
  });

  test('leases: held by one owner until released or expired', async () => {
    const { store, dispose } = await factory();
    try {
      assert.equal(await store.learning.tryLock('train:fam', 'a', 1_000, 500), true);
      assert.equal(await store.learning.tryLock('train:fam', 'b', 1_200, 500), false);
      assert.equal(await store.learning.tryLock('train:other', 'b', 1_200, 500), true);
      assert.equal(await store.learning.tryLock('train:fam', 'a', 1_300, 500), true); // renewal
      assert.equal(await store.learning.tryLock('train:fam', 'b', 1_700, 500), false);
      assert.equal(await store.learning.tryLock('train:fam', 'b', 1_800, 500), true); // expired at 1,800
      await store.learning.releaseLock('train:fam', 'a'); // not the holder: no effect
      assert.equal(await store.learning.tryLock('train:fam', 'a', 1_900, 500), false);
      await store.learning.releaseLock('train:fam', 'b');
      assert.equal(await store.learning.tryLock('train:fam', 'a', 1_900, 500), true);
    } finally {
      await dispose();
    }
  });

  test('cursors move only from the expected position; reputations move with them atomically', async () => {
    const { store, dispose } = await factory();
    try {
      assert.equal(await store.learning.getCursor('c'), undefined);
      const p1 = { createdAt: 10, id: 'f1' };
      assert.equal(
        await store.learning.moveCursor('c', null, { position: p1, count: 1, updatedAt: 11 }),
        true,
      );
      assert.equal(
        await store.learning.moveCursor('c', null, { position: p1, count: 1, updatedAt: 12 }),
        false,
      );
      assert.deepEqual(await store.learning.getCursor('c'), { position: p1, count: 1, updatedAt: 11 });
      const p2 = { createdAt: 20, id: 'f2' };
      const rep = { source: 'vuldb', reputation: 0.45, observations: 1, corrected: 1, updatedAt: 21 };
      assert.equal(
        await store.learning.applyReputations('r', null, { position: p2, count: 2, updatedAt: 21 }, [rep]),
        true,
      );
      assert.equal(
        await store.learning.applyReputations('r', null, { position: p2, count: 2, updatedAt: 22 }, [
          { ...rep, reputation: 0.1 },
        ]),
        false,
      );
      assert.deepEqual(await store.learning.reputations(), [rep]);
      await store.learning.applyReputations('r', p2, { position: p2, count: 3, updatedAt: 23 }, [
        { ...rep, reputation: 0.4, observations: 2, corrected: 2, updatedAt: 23 },
        { source: 'apache', reputation: 0.55, observations: 1, corrected: 0, updatedAt: 23 },
      ]);
      assert.deepEqual(
        (await store.learning.reputations()).map((r) => [r.source, r.reputation, r.observations]),
        [
          ['apache', 0.55, 1],
          ['vuldb', 0.4, 2],
        ],
      );
      assert.deepEqual(
        (await store.learning.reputations(['vuldb', 'none'])).map((r) => r.source),
        ['vuldb'],
      );
      assert.deepEqual(await store.learning.reputations([]), []);
    } finally {
      await dispose();
    }
  });

  test('feedback counts after a position; review queue leaves answered texts out', async () => {
    const { store, dispose } = await factory();
    try {
      await store.predictions.insert([
        prediction({
          id: 'p1',
          createdAt: 1,
          textSha256: '1'.repeat(64),
          probabilities: [0.3, 0.3, 0.2, 0.1, 0.1],
        }),
        prediction({ id: 'p2', createdAt: 2, textSha256: '2'.repeat(64), source: 'vuldb' }),
        prediction({ id: 'p3', createdAt: 3, textSha256: '3'.repeat(64), modelFamily: 'other' }),
        prediction({ id: 'p4', createdAt: 4, textSha256: '2'.repeat(64) }),
      ]);
      assert.deepEqual(
        (await store.review.unanswered({ limit: 10 })).map((p) => p.predictionId),
        ['p4', 'p3', 'p2', 'p1'],
      );
      await store.feedback.insert(feedback({ id: 'f1', createdAt: 5, textSha256: '2'.repeat(64) }));
      await store.feedback.insert(feedback({ id: 'f2', createdAt: 5, textSha256: '9'.repeat(64) }));
      await store.feedback.insert(feedback({ id: 'f3', createdAt: 6, textSha256: '9'.repeat(64) }));
      const queue = await store.review.unanswered({ limit: 10, family: 'fam' });
      assert.deepEqual(
        queue.map((p) => p.predictionId),
        ['p1'],
      );
      assert.deepEqual(queue[0]?.probabilities, [0.3, 0.3, 0.2, 0.1, 0.1]);
      assert.deepEqual(await store.review.unanswered({ limit: 10, since: 2 }).then((q) => q.length), 1);
      assert.equal(await store.learning.countFeedbackAfter(null), 3);
      assert.equal(await store.learning.countFeedbackAfter({ createdAt: 5, id: 'f1' }), 2);
      assert.equal(await store.learning.countFeedbackAfter({ createdAt: 6, id: 'f3' }), 0);
    } finally {
      await dispose();
    }
  });

  test('experiment observations come back newest first with the latest label of their text', async () => {
    const { store, dispose } = await factory();
    try {
      const base = {
        family: 'fam',
        role: 'shadow' as const,
        candidateVersion: 'v2',
        activeVersion: 'v1',
        served: 'active' as const,
        candidateSeverity: 'high',
        activeSeverity: 'low',
        candidateLatencyMs: 1.5,
        activeLatencyMs: 1.25,
      };
      await store.experiments.insert([
        { ...base, createdAt: 1, textSha256: 'a'.repeat(64) },
        { ...base, createdAt: 2, textSha256: 'b'.repeat(64) },
        { ...base, createdAt: 3, textSha256: 'c'.repeat(64), candidateVersion: 'v3' },
      ]);
      await store.experiments.insert([]);
      await store.feedback.insert(
        feedback({ id: 'f1', createdAt: 5, textSha256: 'a'.repeat(64), correctLabel: 'low' }),
      );
      await store.feedback.insert(
        feedback({ id: 'f2', createdAt: 6, textSha256: 'a'.repeat(64), correctLabel: 'high' }),
      );
      const rows = await store.experiments.labelled('fam', 'v2', 10);
      assert.deepEqual(
        rows.map((r) => [r.textSha256[0], r.correctLabel]),
        [
          ['b', null],
          ['a', 'high'],
        ],
      );
      assert.deepEqual(rows[1], { ...base, createdAt: 1, textSha256: 'a'.repeat(64), correctLabel: 'high' });
      assert.equal((await store.experiments.labelled('fam', 'v2', 1)).length, 1);
    } finally {
      await dispose();
    }
  });
}
