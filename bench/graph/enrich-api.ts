/**
 * `POST /api/v1/enrich` latency on CVE texts, through the real, fully wired
 * service (bench/api/server-process.ts: embedded SQLite, shipped models and
 * catalogue, keys off, cache off), one request at a time. Each text is first
 * predicted (so its Threat node is recorded, as traffic does), then enriched as
 * `{text}` and as `{predictionId}`. See bench/graph/README.md.
 *
 *   nice -n 10 node --import tsx bench/graph/enrich-api.ts [--texts 100] [--data ../shared/data/cve/vulnrichment-cve5.jsonl.gz]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTestSplitTexts } from '../api/cve-texts.js';

const { values: args } = parseArgs({
  options: {
    texts: { type: 'string', default: '100' },
    data: { type: 'string', default: '../shared/data/cve/vulnrichment-cve5.jsonl.gz' },
  },
});
const N = Number(args.texts);
if (!Number.isInteger(N) || N < 1 || N > 10_000)
  throw new Error(`--texts must be 1..10000, got ${args.texts}`);
if (!existsSync(args.data as string)) {
  process.stdout.write(`bench/graph enrich-api: ${args.data} not found: skipped (needs ../shared/data)\n`);
  process.exit(0);
}

function startService(env: Record<string, string>): Promise<{ child: ChildProcess; address: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api/server-process.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://'));
      if (line) done({ child, address: line.trim() });
    });
    child.once('exit', (code) => fail(new Error(`the service exited with ${code} before listening`)));
  });
}

async function post(url: string, body: unknown): Promise<{ ms: number; json: Record<string, unknown> }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return { ms, json };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;
const summary = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} / p95 ${pct(xs, 95).toFixed(1)} / max ${Math.max(...xs).toFixed(1)} ms`;

const texts = await loadTestSplitTexts(args.data as string, N);
const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-enrich-'));
const loadStart = loadavg()[0]?.toFixed(1);
const { child, address } = await startService({
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  AUTH_DISABLED: 'true',
  RATE_LIMIT_MAX: '10000000',
  PREDICTION_CACHE_MAX_ENTRIES: '0',
  DATABASE_URL: '',
  REDIS_URL: '',
  API_WORKERS: '1',
  MODELS_DIR: resolve('models'),
});
try {
  const predict: number[] = [];
  const byText: number[] = [];
  const byId: number[] = [];
  let techniques = 0;
  let threats = 0;
  let actors = 0;
  // Warm-up: the first requests load the models and the graph's alias matchers.
  for (const t of texts.slice(0, 5)) await post(`${address}/api/v1/enrich`, { text: t.text });
  for (const t of texts) {
    const p = await post(`${address}/api/v1/predict`, t);
    predict.push(p.ms);
    const e = await post(`${address}/api/v1/enrich`, { text: t.text });
    byText.push(e.ms);
    techniques += (e.json.techniques as unknown[] | undefined)?.length ?? 0;
    threats += (e.json.relatedThreats as unknown[] | undefined)?.length ?? 0;
    actors += (e.json.actors as unknown[] | undefined)?.length ?? 0;
    const id = await post(`${address}/api/v1/enrich`, { predictionId: p.json.id });
    byId.push(id.ms);
  }
  const chars = texts.map((t) => t.text.length);
  process.stdout.write(
    `${JSON.stringify({ texts: texts.length, medianChars: pct(chars, 50), loadStart, loadEnd: loadavg()[0]?.toFixed(1) })}\n`,
  );
  process.stdout.write(`predict (records the Threat node):  ${summary(predict)}\n`);
  process.stdout.write(`enrich {text}:                      ${summary(byText)}\n`);
  process.stdout.write(`enrich {predictionId}:              ${summary(byId)}\n`);
  process.stdout.write(
    `per {text} answer, mean: ${(techniques / N).toFixed(1)} techniques, ${(threats / N).toFixed(1)} related threats, ${(actors / N).toFixed(1)} actors\n`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
