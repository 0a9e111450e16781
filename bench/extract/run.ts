/**
 * bench/extract: throughput of `extractIndicators` against the npm package
 * `ioc-extractor` (refang on) on the same texts in the same run, and the time
 * each takes on 1 MB hostile inputs.
 *
 * Usage: node --import tsx bench/extract/run.ts [--short] [--data FILE] [--rounds N] [--timeout-s S]
 *   --data     TRAM annotated reports (default $SHARED_DATA/tram/annotated-reports.jsonl.gz,
 *              SHARED_DATA defaulting to ../shared/data)
 *   --short    CI mode: 1 timed round, hostile-input timeout 10 s (default 30 s)
 *   --rounds   timed rounds over the corpus (default 5); the median round is reported
 *
 * Exit code: 0 unless OUR extractor throws (ioc-extractor failures and
 * timeouts are reported, not fatal). Prints a table and a JSON summary.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { extractIOC, type IOC } from 'ioc-extractor';
import { loadWarninglistIndex } from '../../src/assets/index.js';
import { type Extraction, extractIndicators, type WarninglistIndex } from '../../src/extract/index.js';
import { hostileInputs } from '../../test/fixtures/extract/hostile-inputs.js';
import { loadTramTexts } from './tram.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    data: {
      type: 'string',
      default: join(
        process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'),
        'tram',
        'annotated-reports.jsonl.gz',
      ),
    },
    rounds: { type: 'string' },
    'timeout-s': { type: 'string' },
  },
});
const rounds = Number(args.rounds ?? (args.short ? 1 : 5));
const timeoutMs = 1000 * Number(args['timeout-s'] ?? (args.short ? 10 : 30));
if (!Number.isInteger(rounds) || rounds < 1 || !(timeoutMs > 0)) {
  console.error('bench/extract: --rounds must be a positive integer and --timeout-s positive');
  process.exit(2);
}
if (!existsSync(args.data!)) {
  console.log(`bench/extract: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Times `fn` over every text once; returns milliseconds. */
function timeCorpus(texts: readonly string[], fn: (t: string) => unknown): number {
  const t0 = performance.now();
  for (const t of texts) fn(t);
  return performance.now() - t0;
}

const { texts, skipped } = await loadTramTexts(args.data!);
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
const chars = texts.reduce((n, t) => n + t.length, 0);

const tLoad = performance.now();
const index: WarninglistIndex = await loadWarninglistIndex();
const warninglistLoadMs = performance.now() - tLoad;

const contenders: Record<string, (t: string) => unknown> = {
  'ours (validate + flag)': (t) => extractIndicators(t, { warninglists: index }),
  'ours (validate, no flags)': (t) => extractIndicators(t),
  'ioc-extractor 8 (refang)': (t) => extractIOC(t, { refang: true }),
};

// Warm-up round (JIT, regex compilation, warninglist caches), then timed rounds
// with the contenders' order rotated each round so none always runs first.
const names = Object.keys(contenders);
for (const name of names) timeCorpus(texts, contenders[name]!);
const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length]!;
    times[name]!.push(timeCorpus(texts, contenders[name]!));
  }
}

// What each found, for context (unique values per report, summed over reports).
const ours = texts.map((t) => extractIndicators(t, { warninglists: index }));
const theirs = texts.map((t) => extractIOC(t, { refang: true }));
const sum = (xs: readonly (Extraction | IOC)[], key: string): number =>
  xs.reduce((n, x) => n + ((x as unknown as Record<string, unknown[]>)[key]?.length ?? 0), 0);
const compared: [string, string, string][] = [
  ['ipv4', 'ipv4s', 'ipv4s'],
  ['ipv6', 'ipv6s', 'ipv6s'],
  ['domain', 'domains', 'domains'],
  ['url', 'urls', 'urls'],
  ['email', 'emails', 'emails'],
  ['cve', 'cves', 'cves'],
  ['md5', 'md5s', 'md5s'],
  ['sha1', 'sha1s', 'sha1s'],
  ['sha256', 'sha256s', 'sha256s'],
  ['sha512', 'sha512s', 'sha512s'],
  ['asn', 'asns', 'asns'],
  ['mac', 'macs', 'macAddresses'],
  ['bitcoin', 'bitcoinAddresses', 'btcs'],
];
const found = compared.map(([type, ourKey, theirKey]) => ({
  type,
  ours: sum(ours, ourKey),
  iocExtractor: sum(theirs, theirKey),
}));
const oursOnly = ['cidrs', 'attackIds', 'registryKeys', 'filePaths'].map((k) => ({
  type: k,
  ours: sum(ours, k),
}));
const flagged = ours.reduce((n, e) => n + e.matches.filter((m) => m.warninglists.length > 0).length, 0);
const totalMatches = ours.reduce((n, e) => n + e.matches.length, 0);

/** Runs one extractor on one hostile input in a worker; resolves to ms, or null after the timeout. */
/** Longest a worker may take to load its modules and warm up before the timed run (a loaded machine is slow). */
const STARTUP_LIMIT_MS = 120_000;

/**
 * Runs one extractor on one hostile input in a worker; resolves to ms, or
 * null when the timed run exceeded the timeout. The timeout starts when the
 * worker reports it is ready (modules loaded, warmed up), so start-up time on
 * a busy machine is not counted; the worker is fully terminated before the
 * next run so a stopped, still-backtracking worker cannot slow the next one.
 */
async function hostileTime(
  extractor: 'ours' | 'ioc-extractor',
  input: string,
): Promise<number | null | Error> {
  // Module hooks (tsx) are per thread in Node 20: the worker registers tsx before loading the .ts file.
  const script = new URL('./hostile-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { extractor, input } });
  const result = await new Promise<number | null | Error>((done) => {
    let timer = setTimeout(
      () => done(new Error(`worker not ready after ${STARTUP_LIMIT_MS / 1000} s`)),
      STARTUP_LIMIT_MS,
    );
    worker.on('message', (msg: { ready: true } | { ms: number }) => {
      clearTimeout(timer);
      if ('ready' in msg) timer = setTimeout(() => done(null), timeoutMs);
      else done(msg.ms);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      done(err);
    });
  });
  await worker.terminate();
  return result;
}

const hostile: { input: string; ours: number | string; iocExtractor: number | string }[] = [];
let oursFailed = false;
for (const input of Object.keys(hostileInputs())) {
  const o = await hostileTime('ours', input);
  const t = await hostileTime('ioc-extractor', input);
  const show = (x: number | null | Error): number | string =>
    x === null
      ? `>${timeoutMs / 1000} s (stopped)`
      : x instanceof Error
        ? `error: ${x.message}`
        : Math.round(x);
  if (o === null || o instanceof Error) oursFailed = true;
  hostile.push({ input, ours: show(o), iocExtractor: show(t) });
}

const throughput = Object.fromEntries(
  names.map((n) => {
    const ms = median(times[n]!);
    return [
      n,
      {
        medianMs: Math.round(ms),
        // The fastest round is the one least disturbed by other jobs on a shared machine.
        minMs: Math.round(Math.min(...times[n]!)),
        maxMs: Math.round(Math.max(...times[n]!)),
        textsPerS: +(texts.length / (ms / 1000)).toFixed(1),
        mbPerS: +(bytes / 1e6 / (ms / 1000)).toFixed(2),
      },
    ];
  }),
);

const cpu = cpus()[0]?.model ?? 'unknown';
console.log(`machine: ${cpus().length} CPUs, ${cpu}, node ${process.version}`);
console.log(
  `corpus: ${texts.length} TRAM reports (${skipped} skipped), ${(bytes / 1e6).toFixed(2)} MB UTF-8, ${chars} chars`,
);
console.log(`warninglist index load: ${Math.round(warninglistLoadMs)} ms (${index.lists.length} lists)`);
console.log(`rounds: ${rounds} timed (median reported) after 1 warm-up\n`);
console.log('extractor                     median ms   texts/s    MB/s   (fastest / slowest round ms)');
for (const n of names) {
  const r = throughput[n]!;
  console.log(
    `${n.padEnd(28)} ${String(r.medianMs).padStart(9)} ${String(r.textsPerS).padStart(9)} ${String(r.mbPerS).padStart(7)}   (${r.minMs} / ${r.maxMs})`,
  );
}
console.log('\nunique values found (summed per report)   ours   ioc-extractor');
for (const f of found)
  console.log(`  ${f.type.padEnd(38)} ${String(f.ours).padStart(5)} ${String(f.iocExtractor).padStart(14)}`);
for (const f of oursOnly)
  console.log(`  ${f.type.padEnd(38)} ${String(f.ours).padStart(5)} ${'-'.padStart(14)}`);
console.log(`  occurrences flagged by a warninglist: ${flagged} of ${totalMatches}`);
console.log('\n1 MB hostile input        ours ms   ioc-extractor ms');
for (const h of hostile)
  console.log(`  ${JSON.stringify(h.input).padEnd(20)} ${String(h.ours).padStart(9)}   ${h.iocExtractor}`);
console.log(
  `\n${JSON.stringify({ machine: { cpus: cpus().length, cpu, node: process.version }, corpus: { texts: texts.length, bytes }, rounds, warninglistLoadMs: Math.round(warninglistLoadMs), throughput, found, oursOnly, flagged, totalMatches, hostile })}`,
);
if (oursFailed) {
  console.error('bench/extract: OUR extractor failed or timed out on a hostile input');
  process.exit(1);
}
