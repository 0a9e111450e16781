/**
 * Hot swap under load: the real service (bench/api/server-process.ts, in its
 * own process, embedded defaults) serves the shipped severity model while
 * this process keeps `--concurrency` requests in flight on the gate
 * holdout's texts. Two phases of `--seconds` each, in one run:
 *
 *   1. baseline: no registry change;
 *   2. swaps: every `--swap-every` ms an admin promotes a second version
 *      (a copy of the shipped model under another version name, with its
 *      drift reference) or rolls back to the shipped one, through the API.
 *
 * Reports per phase: requests, failures (non-200 answers and transport
 * errors), throughput and latency (p50, p99, max); per swap: the admin
 * call's time, the time from its answer until requests are answered by the
 * new version, and how many requests started after the answer still got the
 * old one; the latency of requests started within one second of a swap; and,
 * for scale, the time to load the model's files in this process (what a
 * replica does on the event loop before it swaps).
 *
 *   nice -n 10 node --import tsx bench/learning/hot-swap.ts [--models models] [--seconds 30] [--concurrency 4] [--swap-every 5000]
 *
 * Prints a JSON object as its last line; bench/RESULTS.md quotes it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import { fixedClock, systemClock } from '../../src/core/index.js';
import {
  createLearningCore,
  defaultHoldoutPath,
  ensureShippedRegistered,
  inlineTrainer,
  readHoldout,
} from '../../src/learning/index.js';
import { loadSeverityModel, readManifest } from '../../src/model/index.js';
import { createApiKey, openSqliteStore } from '../../src/store/index.js';
import { machine } from '../shared-data.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'models' },
    seconds: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    'swap-every': { type: 'string', default: '5000' },
  },
});
const phaseMs = Number(values.seconds) * 1000;
const concurrency = Number(values.concurrency);
const swapEvery = Number(values['swap-every']);
for (const [name, v] of [
  ['--seconds', phaseMs],
  ['--concurrency', concurrency],
  ['--swap-every', swapEvery],
] as const) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
}
const load0 = loadavg()[0];
const started = Date.now();
const WARMUP_MS = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'cs-bench-swap-'));
let server: ChildProcess | undefined;

/** One request as the load generator saw it. */
interface Sample {
  /** Start, ms since the run began. */
  t: number;
  ms: number;
  status: number | 'error';
  version: string | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: Sample[], ms: number) {
  const lat = samples.map((s) => s.ms).sort((a, b) => a - b);
  const r = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    requests: samples.length,
    failures: samples.filter((s) => s.status !== 200).length,
    perSecond: Math.round((samples.length / ms) * 1000 * 10) / 10,
    latencyMs: { p50: r(percentile(lat, 50)), p99: r(percentile(lat, 99)), max: r(lat.at(-1) ?? null) },
  };
}

try {
  // Models: a private copy of the shipped severity model (it may be replaced while this runs), the rest linked.
  const modelsDir = join(dir, 'models');
  mkdirSync(modelsDir);
  for (const name of readdirSync(values.models)) {
    if (name === 'severity') cpSync(join(values.models, name), join(modelsDir, name), { recursive: true });
    else symlinkSync(resolve(values.models, name), join(modelsDir, name));
  }
  const dataDir = join(dir, 'data');
  const env = {
    DATA_DIR: dataDir,
    MODELS_DIR: modelsDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    RATE_LIMIT_MAX: '10000000',
    PREDICTION_CACHE_TTL_SECONDS: '0',
    RETRAIN_EVERY_FEEDBACK: '0',
  };
  const config = loadConfig(env);
  const store = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
  const core = createLearningCore({
    store,
    config,
    clock: systemClock,
    trainer: inlineTrainer,
    owner: 'bench',
  });
  process.stderr.write('registering the shipped model (scores the gate holdout)...\n');
  const shipped = await ensureShippedRegistered({
    registry: core.registry,
    shippedDir: join(modelsDir, 'severity'),
    holdoutPath: core.holdoutPath,
    now: Date.now(),
  });
  if (shipped === undefined) throw new Error(`no shipped model in ${values.models}/severity`);
  // The second version: the same files (and drift reference) under another name, as a retrained candidate would be.
  const otherDir = join(dir, 'other');
  cpSync(join(modelsDir, 'severity'), otherDir, { recursive: true });
  cpSync(core.registry.versionDir(shipped.family, shipped.version), otherDir, { recursive: true });
  const manifestPath = join(otherDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version: string;
    parentVersion: string | null;
  };
  manifest.version = `${shipped.version}-swap`;
  manifest.parentVersion = shipped.version;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const other = await core.registry.registerCandidate({
    manifest: await readManifest(otherDir),
    artefactDir: otherDir,
    metrics: shipped.metrics,
    evaluation: null,
    actor: 'bench',
    reason: 'hot-swap bench',
  });
  // What a swap costs a replica: loading the model files (median of 3 loads here, before the server starts).
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const m = await loadSeverityModel(otherDir);
    loads.push(performance.now() - t);
    m.dispose();
  }
  const modelLoadMs = Math.round([...loads].sort((a, b) => a - b)[1]!);
  const clock = fixedClock(Date.now());
  const predictKey = (await createApiKey(store.apiKeys, { role: 'predict', clock })).key;
  const adminKey = (await createApiKey(store.apiKeys, { role: 'admin', clock })).key;
  await store.close();

  process.stderr.write('starting the server...\n');
  server = spawn(process.execPath, [...process.execArgv, 'bench/api/server-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolveAddress, reject) => {
    let out = '';
    server!.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolveAddress(line.trim());
    });
    server!.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await fetch(`${address}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
  };

  const texts = (await readHoldout(defaultHoldoutPath())).map((d) => d.text);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const samples: Sample[] = [];
  let stop = false;
  let next = 0;
  const lane = async () => {
    while (!stop) {
      const i = next++;
      const t = now();
      let status: Sample['status'] = 'error';
      let version: string | null = null;
      try {
        // A suffix keeps every text distinct (no cache can answer it).
        const r = await call('POST', '/api/v1/predict', predictKey, {
          text: `${texts[i % texts.length]} (${i})`,
        });
        status = r.status;
        version = ((r.body?.model as { version?: string } | undefined)?.version ?? null) as string | null;
      } catch {
        status = 'error';
      }
      samples.push({ t, ms: now() - t, status, version });
    }
  };
  const lanes = Array.from({ length: concurrency }, lane);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  await sleep(WARMUP_MS);
  const baselineFrom = now();
  process.stderr.write('baseline phase...\n');
  await sleep(phaseMs);
  const swapsFrom = now();
  process.stderr.write('swap phase...\n');
  const swaps: { to: string; requestedAt: number; answeredAt: number; status: number }[] = [];
  let toOther = true;
  while (now() - swapsFrom < phaseMs) {
    const requestedAt = now();
    const r = toOther
      ? await call('POST', `/api/v1/models/${other.family}/${other.version}/promote`, adminKey, {
          reason: 'hot-swap bench',
        })
      : await call('POST', `/api/v1/models/${shipped.family}/rollback`, adminKey, {
          reason: 'hot-swap bench',
        });
    swaps.push({
      to: toOther ? other.version : shipped.version,
      requestedAt,
      answeredAt: now(),
      status: r.status,
    });
    toOther = !toOther;
    await sleep(Math.max(0, swapEvery - (now() - requestedAt)));
  }
  const swapsTo = now();
  stop = true;
  await Promise.all(lanes);

  const inRange = (from: number, to: number) => samples.filter((s) => s.t >= from && s.t < to);
  const perSwap = swaps.map((s, k) => {
    const until = swaps[k + 1]?.requestedAt ?? swapsTo;
    const after = inRange(s.answeredAt, until);
    const firstNew = after.find((x) => x.version === s.to);
    return {
      to: s.to === other.version ? 'second' : 'shipped',
      status: s.status,
      adminCallMs: Math.round(s.answeredAt - s.requestedAt),
      // Time from the admin call's answer to the first request started after it that the new version answered.
      servedAfterMs: firstNew === undefined ? null : Math.round(firstNew.t + firstNew.ms - s.answeredAt),
      staleAnswers: after.filter(
        (x) => x.status === 200 && x.version !== s.to && (firstNew === undefined || x.t < firstNew.t),
      ).length,
    };
  });
  const nearSwap = samples.filter(
    (x) => x.t >= swapsFrom && swaps.some((s) => x.t >= s.requestedAt && x.t < s.requestedAt + 1_000),
  );
  const served = perSwap
    .flatMap((s) => (s.servedAfterMs === null ? [] : [s.servedAfterMs]))
    .sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      date: new Date(started).toISOString(),
      machine: machine(),
      loadAverage: { start: load0, end: loadavg()[0] },
      settings: { seconds: phaseMs / 1000, concurrency, swapEveryMs: swapEvery, shipped: shipped.version },
      modelLoadMs,
      baseline: summary(inRange(baselineFrom, swapsFrom), swapsFrom - baselineFrom),
      swapPhase: summary(inRange(swapsFrom, swapsTo), swapsTo - swapsFrom),
      withinOneSecondOfASwap: summary(nearSwap, swaps.length * 1_000),
      swaps: {
        count: swaps.length,
        failedAdminCalls: swaps.filter((s) => s.status !== 200).length,
        neverServed: perSwap.filter((s) => s.servedAfterMs === null).length,
        servedAfterMs: { median: percentile(served, 50), max: served.at(-1) ?? null },
        staleAnswers: perSwap.reduce((a, s) => a + s.staleAnswers, 0),
        each: perSwap,
      },
      failureStatuses: [...new Set(samples.filter((s) => s.status !== 200).map((s) => s.status))],
    }),
  );
} finally {
  server?.kill('SIGTERM');
  if (server !== undefined && server.exitCode === null) {
    await new Promise((r) => server!.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}
