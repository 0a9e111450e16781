import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import {
  baseDocs,
  CLASSES,
  novelTexts,
  writeJsonl,
  writeTinyModel,
} from '../../../test/learning/helpers/synthetic.js';
import { loadConfig } from '../../config/index.js';
import { type Clock, systemClock } from '../../core/index.js';
import { createRng } from '../../model/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/index.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { learningSettingsFrom } from '../settings.js';
import { RetrainJob, type RetrainResult } from './retrain-job.js';
import { inlineTrainer } from './train-candidate.js';
import type { TrainSpec } from './train-spec.js';

async function setup(dir: string) {
  const shipped = join(dir, 'shipped');
  const parentVersion = await writeTinyModel(shipped, baseDocs(300, 1));
  writeJsonl(join(dir, 'base.jsonl'), baseDocs(300, 1));
  writeJsonl(join(dir, 'holdout.jsonl'), baseDocs(150, 77, 'h'));
  const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
  const clock: Clock = systemClock;
  const registry = new ModelRegistry({ models: store.models, clock, dataDir: join(dir, 'data') });
  await registry.registerShipped(shipped);
  const settings = learningSettingsFrom(
    loadConfig({ RETRAIN_BASE_DATA: join(dir, 'base.jsonl'), RETRAIN_CAP_MIN_ITEMS: '1000' }),
  );
  const job = new RetrainJob({
    store,
    registry,
    clock,
    settings,
    holdoutPath: join(dir, 'holdout.jsonl'),
    trainer: inlineTrainer,
  });
  const runner = new JobRunner({
    jobs: store.jobs,
    learning: store.learning,
    clock,
    owner: 'test',
    execute: (j, progress, signal) => job.run(j, progress, signal),
  });
  return { store, registry, runner, parentVersion };
}

async function addFeedback(store: SqliteStore, items: { text: string; label: string }[], start: number) {
  let t = start;
  for (const it of items) {
    await store.feedback.insert({
      id: randomUUID(),
      createdAt: t++,
      predictionId: null,
      text: it.text,
      textSha256: randomUUID(),
      correctLabel: it.label,
      techniques: null,
      comment: null,
      analyst: `analyst-${t % 5}`,
      apiKeyId: null,
      modelFamily: null,
      modelVersion: null,
      predictedSeverity: null,
    });
  }
}

async function retrain(store: SqliteStore, runner: JobRunner): Promise<RetrainResult> {
  const { job } = await store.jobs.createUnlessQueued({
    id: randomUUID(),
    kind: 'retrain',
    family: 'hashed-ngram',
    trigger: 'manual',
    requestedBy: 'test',
    payload: { reason: 'test', settings: {} },
    createdAt: Date.now(),
  });
  const outcome = await runner.attempt(job, 1, 1);
  assert.equal(outcome.status, 'succeeded', outcome.status === 'failed' ? outcome.error.stack : '');
  return (outcome as { result: RetrainResult }).result;
}

test('corrective feedback on a new kind of flaw: the candidate passes the gate and becomes active', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-retrain-'));
  const { store, registry, runner, parentVersion } = await setup(dir);
  try {
    await addFeedback(
      store,
      novelTexts(40, 3).map((text) => ({ text, label: 'critical' })),
      1_000,
    );
    const result = await retrain(store, runner);
    assert.equal(result.gate.passed, true, result.gate.reasons.join('; '));
    assert.equal(result.status, 'active');
    assert.equal(result.parentVersion, parentVersion);
    assert.equal(result.feedback.recent, 10);
    // The training's peak memory is recorded with the job (this process trained: at least its heap).
    assert.ok(
      result.trainPeakRssMiB >= process.memoryUsage().heapUsed / 2 ** 20 - 1,
      String(result.trainPeakRssMiB),
    );
    assert.ok(result.figures.candidate.feedback!.accuracy > result.figures.active.feedback!.accuracy);
    const active = await registry.active('hashed-ngram');
    assert.equal(active?.version, result.candidateVersion);
    assert.equal(active?.parentVersion, parentVersion);
    assert.equal((await store.models.get('hashed-ngram', parentVersion))?.status, 'retired');
    const history = await registry.history('hashed-ngram', result.candidateVersion);
    assert.deepEqual(
      history.map((h) => [h.toStatus, h.actor]),
      [
        ['candidate', history[0]!.actor],
        ['active', 'gate'],
      ],
    );
    assert.match(history[0]!.actor, /^retrain-job:/);
    const job = (await store.jobs.list({ limit: 1 }))[0]!;
    assert.equal(job.status, 'succeeded');
    assert.equal(job.progress, 1);
    assert.match(job.message ?? '', /passed the gate; now active/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('poisoning: feedback with labels flipped at random is refused by the gate and stays a candidate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-retrain-'));
  const { store, registry, runner, parentVersion } = await setup(dir);
  try {
    const rng = createRng(11);
    const poison = baseDocs(200, 5, 'p').map((d) => {
      const wrong = CLASSES.filter((c) => c !== d.label);
      return { text: d.text, label: wrong[rng.int(wrong.length)]! };
    });
    await addFeedback(store, poison, 1_000);
    const result = await retrain(store, runner);
    assert.equal(result.gate.passed, false);
    assert.equal(result.status, 'candidate');
    assert.ok(result.gate.reasons.length >= 1);
    const candidate = await store.models.get('hashed-ngram', result.candidateVersion);
    assert.equal(candidate?.status, 'candidate');
    assert.deepEqual(
      (candidate!.evaluation as { gate: { reasons: string[] } }).gate.reasons,
      result.gate.reasons,
    );
    assert.equal((await registry.active('hashed-ngram'))?.version, parentVersion);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reading many feedback items lets the event loop turn, so the API keeps answering', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-retrain-'));
  const { store, registry } = await setup(dir);
  try {
    await addFeedback(
      store,
      baseDocs(2_000, 9, 'f').map((d) => ({ text: d.text, label: d.label! })),
      1_000,
    );
    // Each item without a prediction id is looked up by its text (synchronous with SQLite).
    let lookups = 0;
    const predictions = Object.create(store.predictions) as SqliteStore['predictions'];
    predictions.latestByTextSha256 = (sha: string) => {
      lookups++;
      return store.predictions.latestByTextSha256(sha);
    };
    const job = new RetrainJob({
      store: { feedback: store.feedback, learning: store.learning, predictions },
      registry,
      clock: systemClock,
      settings: learningSettingsFrom(loadConfig({ RETRAIN_BASE_DATA: 'none' })),
      holdoutPath: join(dir, 'holdout.jsonl'),
      trainer: {
        train: async () => {
          throw new Error('stop before training');
        },
      },
    });
    const { job: record } = await store.jobs.createUnlessQueued({
      id: randomUUID(),
      kind: 'retrain',
      family: 'hashed-ngram',
      trigger: 'manual',
      requestedBy: 'test',
      payload: { reason: 'test', settings: {} },
      createdAt: Date.now(),
    });
    let lookupsAtFirstTurn = -1;
    setImmediate(() => {
      lookupsAtFirstTurn = lookups;
    });
    await assert.rejects(
      job.run(record, () => {}, new AbortController().signal),
      /stop before training/,
    );
    assert.equal(lookups, 2_000);
    assert.ok(
      lookupsAtFirstTurn >= 0 && lookupsAtFirstTurn < 2_000,
      `first turn after ${lookupsAtFirstTurn}`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the shipped parent is read from this process's shipped directory, not the registering checkout's path", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-retrain-shipped-'));
  try {
    // Registered by a replica whose checkout was at `first/`; this process has the same model at `here/`.
    const first = join(dir, 'first', 'severity');
    await writeTinyModel(first, baseDocs(100, 1));
    writeJsonl(join(dir, 'base.jsonl'), baseDocs(50, 1));
    writeJsonl(join(dir, 'holdout.jsonl'), baseDocs(50, 77, 'h'));
    const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
    try {
      const dataDir = join(dir, 'data');
      const { record } = await new ModelRegistry({
        models: store.models,
        clock: systemClock,
        dataDir,
      }).registerShipped(first);
      const here = join(dir, 'here', 'severity');
      cpSync(first, here, { recursive: true });
      rmSync(join(dir, 'first'), { recursive: true });
      const registry = new ModelRegistry({
        models: store.models,
        clock: systemClock,
        dataDir,
        shippedDir: here,
      });
      assert.equal(await registry.artefactDirOf(record), resolve(here));
      const other = { ...record, version: 'r-other', artefactDir: join(dir, 'r-other') };
      assert.equal(await registry.artefactDirOf(other), other.artefactDir);

      const specs: TrainSpec[] = [];
      const job = new RetrainJob({
        store,
        registry,
        clock: systemClock,
        settings: learningSettingsFrom(loadConfig({ RETRAIN_BASE_DATA: join(dir, 'base.jsonl') })),
        holdoutPath: join(dir, 'holdout.jsonl'),
        trainer: {
          train: async (spec) => {
            specs.push(spec);
            throw new Error('stop here');
          },
        },
      });
      const { job: stored } = await store.jobs.createUnlessQueued({
        id: randomUUID(),
        kind: 'retrain',
        family: record.family,
        trigger: 'manual',
        requestedBy: null,
        payload: { reason: 'test', settings: {} },
        createdAt: Date.now(),
      });
      await assert.rejects(
        job.run(stored, () => {}, new AbortController().signal),
        /stop here/,
      );
      assert.equal(specs[0]?.parentDir, resolve(here));
      assert.equal(specs[0]?.parentDriftDirs[0], resolve(here));
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
