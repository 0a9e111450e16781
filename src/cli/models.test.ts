import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordingContext } from '../../test/helpers/cli.js';
import { baseDocs, novelTexts, writeJsonl, writeTinyModel } from '../../test/learning/helpers/synthetic.js';
import { loadConfig } from '../config/index.js';
import { openSqliteStore } from '../store/index.js';
import { runCli } from './program.js';

function context(env: Record<string, string>) {
  const ctx = recordingContext();
  ctx.loadConfig = (overrides = {}) => loadConfig({ ...env, ...overrides });
  return ctx;
}

const lastLine = (out: string) => out.trim().split('\n').at(-1) ?? '';

test('models list/show/promote/rollback/jobs and retrain on the embedded store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-models-cli-'));
  try {
    const shippedVersion = await writeTinyModel(join(dir, 'models', 'severity'), baseDocs(300, 1));
    writeJsonl(join(dir, 'base.jsonl'), baseDocs(300, 1));
    writeJsonl(join(dir, 'holdout.jsonl'), baseDocs(100, 77, 'h'));
    const env = {
      DATA_DIR: join(dir, 'data'),
      MODELS_DIR: join(dir, 'models'),
      RETRAIN_BASE_DATA: join(dir, 'base.jsonl'),
      RETRAIN_HOLDOUT: join(dir, 'holdout.jsonl'),
      LOG_LEVEL: 'silent',
    };
    const run = async (...argv: string[]) => {
      const ctx = context(env);
      const code = await runCli(argv, ctx, 'test');
      return { code, out: ctx.out, err: ctx.err };
    };

    // A fresh data dir: the shipped model is registered as active, with holdout figures.
    const first = await run('models', 'list', '--json');
    assert.equal(first.code, 0, first.err);
    const listed = JSON.parse(first.out) as Record<string, unknown>[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.version, shippedVersion);
    assert.equal(listed[0]?.status, 'active');
    assert.equal(listed[0]?.parent, null);
    assert.equal(typeof listed[0]?.createdAt, 'string');
    assert.equal((listed[0]!.metrics as Record<string, number>)['holdout.macroF1'], 1);

    // Corrective feedback, then a retraining by hand: the candidate passes the gate.
    const store = openSqliteStore({ path: join(dir, 'data', 'cyberstreams.sqlite') });
    let t = Date.now() - 100_000;
    for (const text of novelTexts(30, 3)) {
      await store.feedback.insert({
        id: randomUUID(),
        createdAt: t++,
        predictionId: null,
        text,
        textSha256: randomUUID(),
        correctLabel: 'critical',
        techniques: null,
        comment: null,
        analyst: 'ana',
        apiKeyId: null,
        modelFamily: null,
        modelVersion: null,
        predictedSeverity: null,
      });
    }
    await store.close();
    const retrain = await run('retrain', '--reason', 'cli test');
    assert.equal(retrain.code, 0, retrain.err);
    assert.match(retrain.err, /%\] /);
    const job = JSON.parse(lastLine(retrain.out)) as {
      status: string;
      result: { status: string; candidateVersion: string };
    };
    assert.equal(job.status, 'succeeded');
    assert.equal(job.result.status, 'active');
    const candidate = job.result.candidateVersion;

    const after = JSON.parse((await run('models', 'list', '--json')).out) as Record<string, unknown>[];
    assert.deepEqual(
      after.map((v) => [v.version, v.status, v.parent]),
      [
        [shippedVersion, 'retired', null],
        [candidate, 'active', shippedVersion],
      ],
    );
    const shown = JSON.parse((await run('models', 'show', candidate)).out) as {
      history: { to: string; actor: string }[];
      evaluation: { gate: { passed: boolean } };
    };
    assert.deepEqual(
      shown.history.map((h) => h.to),
      ['candidate', 'active'],
    );
    assert.equal(shown.evaluation.gate.passed, true);

    const rollback = await run('models', 'rollback', '--reason', 'test');
    assert.equal(rollback.code, 0, rollback.err);
    assert.match(rollback.out, new RegExp(`${shippedVersion} is active again; ${candidate} was retired`));
    const promote = await run('models', 'promote', candidate);
    assert.equal(promote.code, 0, promote.err);
    assert.match(promote.out, /is now active; .* is now retired/);
    assert.match((await run('models', 'experiments')).out, /No canary or shadow is running/);
    assert.equal((await run('models', 'promote', shippedVersion, '--to', 'shadow')).code, 0);
    const reports = JSON.parse((await run('models', 'experiments', '--json')).out) as {
      role: string;
      verdict: string;
    }[];
    assert.deepEqual(
      reports.map((r) => [r.role, r.verdict]),
      [['shadow', 'insufficient-data']],
    );
    assert.deepEqual(JSON.parse((await run('models', 'sources', '--json')).out), []);
    const demoted = await run('models', 'demote', shippedVersion, '--to', 'retired');
    assert.equal(demoted.code, 0, demoted.err);
    assert.match(demoted.out, /is now retired/);
    assert.equal((await run('models', 'demote', candidate)).code, 1, 'the active version cannot be demoted');
    assert.equal(
      (await run('models', 'promote', candidate, '--to', 'canary')).code,
      1,
      'nor moved to canary',
    );
    const badSettings = await run('retrain', '--set', 'epochs=lots');
    assert.equal(badSettings.code, 2, 'a bad --set is a usage error');
    assert.match(badSettings.err, /Invalid --set: epochs must be a number/);
    const jobs = JSON.parse((await run('models', 'jobs', '--json')).out) as { id: string }[];
    assert.equal(jobs.length, 1);
    assert.equal((await run('models', 'job', jobs[0]!.id)).code, 0);

    // Bad input: clear errors, nothing changed.
    assert.equal((await run('models', 'promote', 'nope')).code, 1);
    assert.equal((await run('models', 'promote', candidate, '--to', 'bogus')).code, 2);
    assert.equal((await run('models', 'jobs', '--limit', '0')).code, 2);
    assert.equal((await run('models', 'job', 'missing')).code, 1);
    const worker = await run('worker');
    assert.equal(worker.code, 1);
    assert.match(worker.err, /needs REDIS_URL/);
    const final = JSON.parse((await run('models', 'list', '--json')).out) as Record<string, unknown>[];
    assert.equal(final.find((v) => v.status === 'active')?.version, candidate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
