import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../../../src/core/index.js';
import { createApiKey, type Store } from '../../../src/store/index.js';
import { baseDocs, writeJsonl, writeTinyModel } from './synthetic.js';

/** A shipped tiny model, its base data and the gate holdout, written under `dir`. */
export async function writeLoopFixtures(
  dir: string,
): Promise<{ shippedVersion: string; env: Record<string, string> }> {
  const shippedVersion = await writeTinyModel(join(dir, 'models', 'severity'), baseDocs(300, 1));
  writeJsonl(join(dir, 'base.jsonl'), baseDocs(300, 1));
  writeJsonl(join(dir, 'holdout.jsonl'), baseDocs(100, 77, 'h'));
  return {
    shippedVersion,
    env: {
      MODELS_DIR: join(dir, 'models'),
      RETRAIN_BASE_DATA: join(dir, 'base.jsonl'),
      RETRAIN_HOLDOUT: join(dir, 'holdout.jsonl'),
      LOG_LEVEL: 'silent',
      PORT: '0',
      MODEL_POLL_MS: '200',
      RATE_LIMIT_MAX: '100000',
      PREDICTION_CACHE_TTL_SECONDS: '0',
      RETRAIN_BACKOFF_MS: '200',
    },
  };
}

/** API keys of each role, created in the store before the servers start. */
export async function createKeys(
  store: Store,
): Promise<{ predict: string; feedback: string; admin: string }> {
  const clock = fixedClock(Date.now());
  return {
    predict: (await createApiKey(store.apiKeys, { role: 'predict', clock })).key,
    feedback: (await createApiKey(store.apiKeys, { role: 'feedback', clock })).key,
    admin: (await createApiKey(store.apiKeys, { role: 'admin', clock })).key,
  };
}

/** A small JSON client for one server. */
export function client(address: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${address}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
  };
}

/** Polls `probe` every 100 ms until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 180_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A prediction answer's fields the tests read. */
export interface PredictReply {
  id: string;
  model: { family: string; version: string };
  severity: string;
}

/** A job record's fields the tests read. */
export interface JobReplyBody {
  id: string;
  status: string;
  trigger: string;
  result: {
    candidateVersion: string;
    status: string;
    gate: { passed: boolean; reasons: string[] };
  } | null;
}

/** A `cyberstreams` command running in a child process. */
export interface CliProcess {
  /** The line it printed once ready (e.g. `cyberstreams listening on http://…`). */
  ready: string;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`). Returns the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** What it wrote to standard output so far (the log's JSON lines; the last 1 MB). */
  stdout(): string;
}

/**
 * Starts `cyberstreams <args>` (from source, under tsx) in its own process
 * with `env` on top of this process's environment, and waits until its
 * standard error shows a line matching `readyLine`.
 */
export async function startCliProcess(
  args: readonly string[],
  env: Record<string, string>,
  readyLine: RegExp,
  timeoutMs = 120_000,
): Promise<CliProcess> {
  const entry = fileURLToPath(new URL('./cli-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-1_000_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let err = '';
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`cyberstreams ${args.join(' ')} not ready after ${timeoutMs} ms: ${err.slice(-2_000)}`),
      );
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-20_000);
      const line = err.split('\n').find((l) => readyLine.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cyberstreams ${args.join(' ')} exited (${code}) before ready: ${err.slice(-2_000)}`));
    });
  });
  return {
    ready,
    stdout: () => out,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(kill);
      }
    },
  };
}
