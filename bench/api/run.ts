/**
 * bench/api: the prediction API under load, against a bare Fastify JSON echo
 * route measured in the same run on the same machine.
 *
 * Usage: nice -n 10 node --import tsx bench/api/run.ts [--data FILE] [--texts N] [--duration S]
 *          [--connections N] [--rate R] [--rounds N] [--out FILE]
 *   --data         vulnrichment CVE JSON 5 (default $SHARED_DATA/cve/vulnrichment-cve5.jsonl.gz,
 *                  SHARED_DATA defaulting to ../shared/data); texts from the test split (published >= 2024-08)
 *   --texts        distinct texts to cycle through (default 3000)
 *   --duration     seconds per measured run (default 20)
 *   --connections  concurrent connections of the throughput runs (default 32)
 *   --rate         requests/s of the fixed-rate runs, comma-separated (default 1000,50: the target, and a
 *                  rate this machine can sustain, to show the latency when not saturated)
 *   --rounds       interleaved echo/predict throughput rounds (default 3); the median is reported
 *   --out          where to write the JSON results (default bench/api/results.json)
 *   --models       MODELS_DIR of the service (default: the shipped models/)
 *   --workers      API_WORKERS of the multi-process runs (default 2; 1 skips them)
 *   --shed         SHED_EVENT_LOOP_LAG_MS of the load-shedding run at the target rate (default 100)
 *
 * The service runs as in production: a separate process started by
 * src/main/server.ts with the shipped model, auth on (one predict key),
 * every prediction stored in SQLite (WAL, synchronous=FULL), rate limit set
 * above the offered load, prediction cache OFF (so every request runs the
 * model) except in the one run labelled "cache on" (100 texts cycled, so
 * nearly every request is a cache hit: the cost of everything but the models). The echo server is a
 * separate process too. autocannon runs in this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { systemClock } from '../../src/core/index.js';
import { createApiKey, openSqliteStore } from '../../src/store/index.js';
import { CVE_FILE } from '../shared-data.js';
import { type CveText, loadTestSplitTexts } from './cve-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: CVE_FILE,
    },
    texts: { type: 'string', default: '3000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000,50' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: join(repoRoot, 'bench', 'api', 'results.json') },
    models: { type: 'string', default: join(repoRoot, 'models') },
    workers: { type: 'string', default: '2' },
    shed: { type: 'string', default: '100' },
  },
});
const N_TEXTS = Number(args.texts);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const RATES = args.rate!.split(',').map(Number);
const RATE = RATES[0]!;
const ROUNDS = Number(args.rounds);
const WORKERS = Number(args.workers);
const SHED_MS = Number(args.shed);
for (const [name, v] of [
  ...Object.entries({ N_TEXTS, DURATION, CONNECTIONS, ROUNDS, WORKERS, SHED_MS }),
  ...RATES.map((r) => ['RATE', r] as const),
]) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`bench/api: ${name} must be a positive integer`);
    process.exit(2);
  }
}
if (!existsSync(args.data!)) {
  console.log(`bench/api: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}

/** Starts `node --import tsx FILE` with `env` and resolves with the address it prints. */
function startProcess(
  file: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; address: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) resolvePromise({ child, address: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system) of one process from /proc/PID/stat, in ms; undefined when unreadable. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the full line (12 and 13 after the command name), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process and its child processes (the API workers when
 * API_WORKERS > 1) have used, in ms, from /proc (Linux); undefined elsewhere.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = processCpuMs(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === pid) total += processCpuMs(Number(entry)) ?? 0;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN;
}

interface RunResult {
  label: string;
  url: string;
  connections: number;
  offeredRate: number | null;
  durationS: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  reqPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** 2xx answers per second (what was served; `reqPerSec` counts refusals too). */
  ok2xxPerSec: number;
  /** Latency of the 2xx answers only (a refused request answers fast and would flatter the percentiles). */
  latency2xxMs: { p50: number; p95: number; p99: number };
  /** CPU time the server process used per answered request, ms (robust to other load on the machine). */
  serverCpuMsPerRequest: number | null;
  autocannonLatencyMs: { p50: number; p97_5: number; p99: number };
}

/**
 * Waits until a process is idle (under 5% of a core over 500 ms, at most 30 s), so work
 * queued by one run (requests still in flight, background graph writes) is not billed to the next.
 */
async function coolDown(pid: number | undefined): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    const after = cpuMs(pid);
    if (before === undefined || after === undefined || after - before < 25) return;
  }
}

/** One autocannon run cycling through the texts; latencies from every response, percentiles by nearest rank. */
async function measure(
  label: string,
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  options: { connections: number; duration: number; rate?: number; pid?: number | undefined },
): Promise<RunResult> {
  await coolDown(options.pid);
  const cpuBefore = cpuMs(options.pid);
  let next = 0;
  const times: number[] = [];
  const times2xx: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    duration: options.duration,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          req.body = bodies[next++ % bodies.length];
          return req;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    if (status >= 200 && status < 300) times2xx.push(responseTime);
  });
  const result = await instance;
  // Include the work the requests left behind (background graph writes) in their CPU cost.
  await coolDown(options.pid);
  const cpuAfter = cpuMs(options.pid);
  times.sort((a, b) => a - b);
  times2xx.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  const r: RunResult = {
    label,
    url,
    connections: options.connections,
    offeredRate: options.rate ?? null,
    durationS: result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    reqPerSec: result.requests.total / result.duration,
    ok2xxPerSec: times2xx.length / result.duration,
    latency2xxMs: {
      p50: nearestRank(times2xx, 50),
      p95: nearestRank(times2xx, 95),
      p99: nearestRank(times2xx, 99),
    },
    latencyMs: {
      p50: nearestRank(times, 50),
      p95: nearestRank(times, 95),
      p99: nearestRank(times, 99),
      max: times.at(-1) ?? Number.NaN,
      mean,
    },
    autocannonLatencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    serverCpuMsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? null
        : (cpuAfter - cpuBefore) / result.requests.total,
  };
  const f = (x: number) => x.toFixed(1);
  console.log(
    `${label.padEnd(34)} ${f(r.reqPerSec).padStart(8)} req/s  p50 ${f(r.latencyMs.p50)}  p95 ${f(r.latencyMs.p95)}  p99 ${f(r.latencyMs.p99)} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${r.serverCpuMsPerRequest?.toFixed(2) ?? '?'} ms/req` +
      (r.non2xx > 0
        ? `  (2xx: ${f(r.ok2xxPerSec)}/s, p50 ${f(r.latency2xxMs.p50)}  p95 ${f(r.latency2xxMs.p95)}  p99 ${f(r.latency2xxMs.p99)} ms)`
        : ''),
  );
  return r;
}

/** Options of a fixed-rate run: enough connections that a slow answer does not stop the offered rate. */
const fixedRate = (rate: number, pid: number | undefined) => ({
  connections: Math.min(100, Math.max(4, Math.ceil(rate / 10))),
  duration: DURATION,
  rate,
  pid,
});

/** The latency target: the offered rate actually served, without errors, at p95 < 100 ms. */
const targetMet = (r: RunResult) => r.latencyMs.p95 < 100 && r.reqPerSec >= 0.98 * RATE && r.non2xx === 0;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const loadavgAtStart = loadavg();
  const texts: CveText[] = await loadTestSplitTexts(args.data!, N_TEXTS);
  console.log(`bench/api: ${texts.length} distinct test-split CVE descriptions from ${args.data}`);
  const bodies = texts.map((t) => JSON.stringify(t));
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-api-'));
  const store = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
  const { key } = await createApiKey(store.apiKeys, { role: 'predict', name: 'bench', clock: systemClock });
  await store.close();
  const serviceEnv = (cacheEntries: number, workers = 1, shedMs = 0) => ({
    API_WORKERS: String(workers),
    SHED_EVENT_LOOP_LAG_MS: String(shedMs),
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '10000000',
    PREDICTION_CACHE_MAX_ENTRIES: String(cacheEntries),
    DATABASE_URL: '',
    REDIS_URL: '',
    MODELS_DIR: resolve(args.models!),
  });
  const auth = { authorization: `Bearer ${key}` };
  const runs: RunResult[] = [];
  const children: ChildProcess[] = [];
  const start = async (file: string, env: Record<string, string>) => {
    const started = await startProcess(file, env);
    children.push(started.child);
    return started;
  };
  try {
    const echo = await start('bench/api/echo-server.ts', {});
    let service = await start('bench/api/server-process.ts', serviceEnv(0));
    const ready = await fetch(`${service.address}/ready`);
    if (ready.status !== 200) throw new Error(`the service is not ready: ${await ready.text()}`);
    const probe = await fetch(`${service.address}/api/v1/predict`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: bodies[0],
    });
    const model = ((await probe.json()) as { model?: unknown }).model;
    console.log(`bench/api: model ${JSON.stringify(model)}; warming up`);
    await measure(
      'warm-up echo',
      `${echo.address}/echo`,
      bodies,
      {},
      { connections: 8, duration: 3, pid: echo.child.pid },
    );
    await measure('warm-up predict', `${service.address}/api/v1/predict`, bodies, auth, {
      connections: 8,
      duration: 3,
      pid: service.child.pid,
    });

    const echoRuns: RunResult[] = [];
    const predictRuns: RunResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      echoRuns.push(
        await measure(
          `echo (round ${round})`,
          `${echo.address}/echo`,
          bodies,
          {},
          { connections: CONNECTIONS, duration: DURATION, pid: echo.child.pid },
        ),
      );
      predictRuns.push(
        await measure(
          `predict, cache off (round ${round})`,
          `${service.address}/api/v1/predict`,
          bodies,
          auth,
          {
            connections: CONNECTIONS,
            duration: DURATION,
            pid: service.child.pid,
          },
        ),
      );
    }
    runs.push(...echoRuns, ...predictRuns);
    const fixedRuns: RunResult[] = [];
    for (const rate of RATES) {
      fixedRuns.push(
        await measure(
          `predict at ${rate} req/s, cache off`,
          `${service.address}/api/v1/predict`,
          bodies,
          auth,
          fixedRate(rate, service.child.pid),
        ),
      );
    }
    runs.push(...fixedRuns);
    const fixed = fixedRuns[0]!;
    await stopProcess(service.child);
    service = await start('bench/api/server-process.ts', serviceEnv(100_000));
    runs.push(
      // 100 distinct texts cycled: after the first pass every request is a cache hit.
      await measure(
        'predict, cache on, 100 texts repeated',
        `${service.address}/api/v1/predict`,
        bodies.slice(0, 100),
        auth,
        {
          connections: CONNECTIONS,
          duration: DURATION,
          pid: service.child.pid,
        },
      ),
    );

    // The explanation (default level "words") is part of every default answer; this run shows its share.
    await stopProcess(service.child);
    service = await start('bench/api/server-process.ts', serviceEnv(0));
    const explainNone = await measure(
      'predict, explain "none", cache off',
      `${service.address}/api/v1/predict`,
      texts.map((t) => JSON.stringify({ ...t, explain: 'none' })),
      auth,
      { connections: CONNECTIONS, duration: DURATION, pid: service.child.pid },
    );
    runs.push(explainNone);

    // Load shedding (opt-in): the target rate offered to a service that refuses predict with 503
    // while its event loop lags; what it serves, and at what latency, is the 2xx part.
    await stopProcess(service.child);
    service = await start('bench/api/server-process.ts', serviceEnv(0, 1, SHED_MS));
    const shedding = await measure(
      `predict at ${RATE} req/s, SHED_EVENT_LOOP_LAG_MS=${SHED_MS}`,
      `${service.address}/api/v1/predict`,
      bodies,
      auth,
      fixedRate(RATE, service.child.pid),
    );
    runs.push(shedding);

    let clusterRuns: { throughput: RunResult; fixed: RunResult } | undefined;
    if (WORKERS > 1) {
      await stopProcess(service.child);
      service = await start('bench/api/server-process.ts', serviceEnv(0, WORKERS));
      const throughput = await measure(
        `predict, API_WORKERS=${WORKERS}, cache off`,
        `${service.address}/api/v1/predict`,
        bodies,
        auth,
        { connections: CONNECTIONS, duration: DURATION, pid: service.child.pid },
      );
      const fixedCluster = await measure(
        `predict at ${RATE} req/s, API_WORKERS=${WORKERS}`,
        `${service.address}/api/v1/predict`,
        bodies,
        auth,
        fixedRate(RATE, service.child.pid),
      );
      runs.push(throughput, fixedCluster);
      clusterRuns = { throughput, fixed: fixedCluster };
    }

    const echoRps = median(echoRuns.map((r) => r.reqPerSec));
    const predictRps = median(predictRuns.map((r) => r.reqPerSec));
    const summary = {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadavgAtStart,
        loadavgAtEnd: loadavg(),
      },
      model,
      texts: texts.length,
      echoReqPerSec: echoRps,
      predictReqPerSec: predictRps,
      ratio: predictRps / echoRps,
      fixedRate: fixedRuns.map((r) => ({
        offered: r.offeredRate,
        achieved: r.reqPerSec,
        p50Ms: r.latencyMs.p50,
        p95Ms: r.latencyMs.p95,
        p99Ms: r.latencyMs.p99,
        non2xx: r.non2xx,
      })),
      serverCpuMsPerRequest: {
        echo: median(echoRuns.map((r) => r.serverCpuMsPerRequest ?? Number.NaN)),
        predict: median(predictRuns.map((r) => r.serverCpuMsPerRequest ?? Number.NaN)),
      },
      shedding: {
        limitMs: SHED_MS,
        offered: RATE,
        answered: shedding.reqPerSec,
        served2xx: shedding.ok2xxPerSec,
        refused: shedding.non2xx,
        timeouts: shedding.timeouts,
        p50Ms2xx: shedding.latency2xxMs.p50,
        p95Ms2xx: shedding.latency2xxMs.p95,
        p99Ms2xx: shedding.latency2xxMs.p99,
        p95MsAll: shedding.latencyMs.p95,
      },
      explainNone: {
        reqPerSec: explainNone.reqPerSec,
        ratio: explainNone.reqPerSec / echoRps,
        serverCpuMsPerRequest: explainNone.serverCpuMsPerRequest,
      },
      cluster:
        clusterRuns === undefined
          ? null
          : {
              workers: WORKERS,
              reqPerSec: clusterRuns.throughput.reqPerSec,
              ratio: clusterRuns.throughput.reqPerSec / echoRps,
              serverCpuMsPerRequest: clusterRuns.throughput.serverCpuMsPerRequest,
              fixedRate: {
                offered: RATE,
                achieved: clusterRuns.fixed.reqPerSec,
                p50Ms: clusterRuns.fixed.latencyMs.p50,
                p95Ms: clusterRuns.fixed.latencyMs.p95,
                p99Ms: clusterRuns.fixed.latencyMs.p99,
                non2xx: clusterRuns.fixed.non2xx,
              },
            },
      targets: {
        // Met only when the offered rate was actually served, without errors, at p95 < 100 ms.
        p95Under100msAtTargetRate: targetMet(fixed),
        throughputAtLeast40PercentOfEcho: predictRps / echoRps >= 0.4,
        withWorkers:
          clusterRuns === undefined
            ? null
            : {
                p95Under100msAtTargetRate: targetMet(clusterRuns.fixed),
                throughputAtLeast40PercentOfEcho: clusterRuns.throughput.reqPerSec / echoRps >= 0.4,
              },
      },
      runs,
    };
    writeFileSync(args.out!, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(JSON.stringify({ ...summary, runs: undefined }));
  } finally {
    for (const child of children) await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
