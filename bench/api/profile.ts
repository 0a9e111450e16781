/**
 * bench/api/profile: where the service's CPU goes under load. Starts the service
 * (bench/api/server-process.ts) with `--cpu-prof`, loads `POST /api/v1/predict`
 * with autocannon, stops it, and prints the CPU of the load window by stage
 * (each sample billed to the first stage found on its stack, in the order below).
 *
 * Usage: nice -n 10 node --import tsx bench/api/profile.ts [--cache N] [--texts N] [--duration S]
 *          [--connections N] [--data FILE] [--keep DIR]
 *   --cache   PREDICTION_CACHE_MAX_ENTRIES (default 0: every request runs the models; with
 *             --texts 100 and a cache, nearly every request is a hit: the cost of everything else)
 *   --keep    also keep the .cpuprofile in DIR (open it in Chrome DevTools)
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { systemClock } from '../../src/core/index.js';
import { createApiKey, openSqliteStore } from '../../src/store/index.js';
import { CVE_FILE } from '../shared-data.js';
import { loadTestSplitTexts } from './cve-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: CVE_FILE,
    },
    cache: { type: 'string', default: '0' },
    texts: { type: 'string', default: '3000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    keep: { type: 'string' },
  },
});
const [CACHE, TEXTS, DURATION, CONNECTIONS] = [args.cache, args.texts, args.duration, args.connections].map(
  Number,
);
if (![CACHE, TEXTS, DURATION, CONNECTIONS].every((v) => Number.isInteger(v) && v! >= 0) || DURATION! < 1) {
  console.error(
    'bench/api/profile: --cache, --texts, --duration, --connections must be integers (duration >= 1)',
  );
  process.exit(2);
}
if (!existsSync(args.data!)) {
  console.log(`bench/api/profile: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}

/** Stages, first match on a sample's stack wins (so the model stages come before the glue around them). */
const STAGES: [string, RegExp][] = [
  ['drift featurization', /drift-tracker|drift-monitor/],
  ['explanation', /src\/explain\/|explain-prediction/],
  ['anomaly score', /src\/anomaly\//],
  ['technique model', /src\/attack\//],
  ['severity model', /src\/model\//],
  ['extraction', /src\/extract\//],
  ['features', /src\/features\//],
  ['graph threats', /graph-adapters|src\/graph\//],
  ['store (predictions)', /src\/store\//],
  ['metrics', /prom-client/],
  ['logging', /pino/],
  ['auth', /src\/http\/auth/],
  ['rate limit', /rate-limit/],
  ['prediction cache', /prediction-cache|memory-lru/],
  ['serialisation', /fast-json-stringify/],
  ['learning router', /src\/learning\//],
  ['prediction service', /prediction-service|src\/main\/predictor/],
  ['validation', /typebox|ajv|validation\.js/],
  ['JSON body', /json-body|content-type-parser/],
  ['fastify', /node_modules\/fastify|find-my-way/],
  ['node http', /node:_http|node:net|node:internal\/stream/],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** CPU ms per stage over the last `windowMs` of a .cpuprofile. */
function byStage(file: string, windowMs: number): Map<string, number> {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const stage = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const frames: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      frames.push(`${f.functionName} ${f.url}`);
    }
    const leaf = frames[0] ?? '';
    const s = leaf.startsWith('(idle)')
      ? 'idle'
      : leaf.startsWith('(garbage collector)')
        ? 'garbage collection'
        : (STAGES.find(([, re]) => frames.some((f) => re.test(f)))?.[0] ?? 'other');
    stageOf.set(id, s);
    return s;
  };
  const out = new Map<string, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i]!;
    if (t < p.endTime - windowMs * 1000) continue;
    const s = stage(p.samples[i]!);
    out.set(s, (out.get(s) ?? 0) + p.timeDeltas[i]! / 1000);
  }
  return out;
}

const texts = await loadTestSplitTexts(args.data!, TEXTS!);
const bodies = texts.map((t) => JSON.stringify(t));
const dataDir = mkdtempSync(join(tmpdir(), 'cs-profile-'));
const profDir = join(dataDir, 'profile');
const store = openSqliteStore({ path: join(dataDir, 'cyberstreams.sqlite') });
const { key } = await createApiKey(store.apiKeys, { role: 'predict', name: 'profile', clock: systemClock });
await store.close();
const child = spawn(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'bench/api/server-process.ts'],
  {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '10000000',
      PREDICTION_CACHE_MAX_ENTRIES: String(CACHE),
      DATABASE_URL: '',
      REDIS_URL: '',
      API_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
try {
  const address = await new Promise<string>((resolveAddress, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) resolveAddress(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
  });
  let next = 0;
  const load = (duration: number) =>
    autocannon({
      url: `${address}/api/v1/predict`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => {
            req.body = bodies[next++ % bodies.length];
            return req;
          },
        },
      ],
    });
  await load(3); // warm-up (and, with a cache, fills it)
  const result = await load(DURATION!);
  await new Promise((r) => setTimeout(r, 1_000)); // the background work the load left
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
  const file = join(profDir, readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!);
  if (args.keep !== undefined) cpSync(file, join(args.keep, 'api.cpuprofile'));
  const stages = byStage(file, (DURATION! + 1) * 1000);
  const busy = [...stages].filter(([s]) => s !== 'idle').reduce((a, [, ms]) => a + ms, 0);
  const requests = result.requests.total;
  console.log(
    `bench/api/profile: ${requests} requests in ${DURATION} s (${(requests / DURATION!).toFixed(0)} req/s), cache ${CACHE}, ${texts.length} texts; ${busy.toFixed(0)} ms busy, ${(busy / requests).toFixed(3)} ms per request (profiler on)`,
  );
  for (const [s, ms] of [...stages].sort((a, b) => b[1] - a[1])) {
    const share = s === 'idle' ? '' : `${((100 * ms) / busy).toFixed(1).padStart(5)} %`;
    console.log(
      `${s.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms ${(ms / requests).toFixed(3).padStart(8)} ms/req ${share}`,
    );
  }
} finally {
  if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
