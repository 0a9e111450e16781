/**
 * bench/graph/threats-ab: CPU of recording predictions as knowledge-graph Threats (what the API's
 * recorder does for every stored prediction) with the graph code of an earlier git revision
 * ("before") against the working tree ("after"). Each run is its own process with one version
 * loaded (two copies of the code in one process JIT differently and bias the comparison):
 * a catalogue-loaded SQLite graph, then the service's recorder (`createThreatRecorder`, groups of
 * 256 in one transaction each, no window) over the predictions of `--texts` test-split texts,
 * `--repeat` times under other ids each time (new threats every time), after a warm-up of 512. Runs alternate before/after `--pairs` times; the medians are
 * printed, with a sha256 of every table's rows per run (equal hashes: the same rows written, the
 * change log's order included).
 *
 *   nice -n 5 node --import tsx bench/graph/threats-ab.ts --rev 030e7eb [--texts 3000] [--repeat 3] [--pairs 5]
 *
 * The old `src/` and `assets/` are extracted with `git archive` into `.tmp/predictor-ab-REV/`, as
 * `bench/api/predictor-ab.ts` does; the predictions (current predictor, explain `none`) are cached
 * in `.tmp/threats-ab-N.json`. Timestamps come from a fixed clock; the two rows written from the
 * wall clock (migrations' `applied_at`, the pattern mining's meta) are left out of the hash.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pino from 'pino';
import { CVE_FILE } from '../shared-data.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    rev: { type: 'string' },
    texts: { type: 'string', default: '3000' },
    pairs: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '3' },
    data: { type: 'string', default: CVE_FILE },
    /** Internal: run one version (`before` or `after`) in this process and print its JSON line. */
    one: { type: 'string' },
  },
});
if (!args.rev || !/^[0-9a-f]{7,40}$/.test(args.rev)) throw new Error('--rev must be a commit hash');
const [TEXTS, PAIRS, REPEAT] = [args.texts, args.pairs, args.repeat].map(Number);
if (![TEXTS, PAIRS, REPEAT].every((v) => Number.isInteger(v) && v! >= 1))
  throw new Error('--texts, --pairs and --repeat must be integers >= 1');
if (!existsSync(args.data!)) {
  console.log(`bench/graph/threats-ab: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}
const oldRoot = join(repoRoot, '.tmp', `predictor-ab-${args.rev}`);
const predictionsFile = join(repoRoot, '.tmp', `threats-ab-${TEXTS}.json`);

interface RunResult {
  version: string;
  msPerThreat: number;
  rows: number;
  sha256: string;
}

/** sha256 of every table's rows in full column order, but the two written from the wall clock. */
function tablesHash(path: string): { rows: number; sha256: string } {
  const db = new Database(path, { readonly: true });
  const h = createHash('sha256');
  let rows = 0;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    if (name === 'graph_schema_migrations') continue;
    const where = name === 'graph_meta' ? " WHERE key <> 'patterns'" : '';
    const columns = db.prepare(`SELECT * FROM "${name}" LIMIT 1`).columns().length;
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    const all = db.prepare(`SELECT * FROM "${name}"${where} ORDER BY ${order}`).all();
    rows += all.length;
    h.update(name).update(JSON.stringify(all));
  }
  db.close();
  return { rows, sha256: h.digest('hex') };
}

async function runOne(version: 'before' | 'after'): Promise<RunResult> {
  const root = version === 'before' ? join(oldRoot, 'src') : join(repoRoot, 'src');
  const graphModule = await import(join(root, 'graph', 'index.ts'));
  const adapters = await import(join(root, 'main', 'graph-adapters.ts'));
  const predictions = JSON.parse(readFileSync(predictionsFile, 'utf8')) as { id: string }[];
  const dir = mkdtempSync(join(tmpdir(), 'cs-threats-ab-'));
  try {
    const path = join(dir, 'graph.sqlite');
    const graph = graphModule.openSqliteGraph({ path, clock: { now: () => 1_750_000_000_000 } });
    await graphModule.ensureCatalogueLoaded(graph, {
      afterLoad: (g: unknown) => graphModule.minePatterns(g),
    });
    const recorder = adapters.createThreatRecorder(graph, 10_000, 256, 0);
    const record = async (list: { id: string }[]) => {
      const done = list.map((p) => recorder.record(p));
      await recorder.idle();
      await Promise.all(done);
    };
    await record(predictions.slice(0, 512).map((p) => ({ ...p, id: `warm-${p.id}` })));
    const start = process.cpuUsage();
    for (let r = 0; r < REPEAT!; r++) {
      const round = r === 0 ? predictions : predictions.map((p) => ({ ...p, id: `r${r}-${p.id}` }));
      for (let from = 0; from < round.length; from += 256) await record(round.slice(from, from + 256));
    }
    const used = process.cpuUsage(start);
    await graph.close();
    return {
      version,
      msPerThreat: (used.user + used.system) / 1000 / (predictions.length * REPEAT!),
      ...tablesHash(path),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.one === 'before' || args.one === 'after') {
  console.log(JSON.stringify(await runOne(args.one)));
  process.exit(0);
}

if (!existsSync(join(oldRoot, 'src', 'main', 'graph-adapters.ts'))) {
  mkdirSync(oldRoot, { recursive: true });
  const tar = `${oldRoot}.tar`;
  execFileSync('git', ['-C', repoRoot, 'archive', '-o', tar, args.rev, 'src', 'assets']);
  execFileSync('tar', ['-x', '-f', tar, '-C', oldRoot]);
}
if (!existsSync(predictionsFile)) {
  const { loadTestSplitTexts } = await import('../api/cve-texts.js');
  const { loadServicePredictor } = await import('../../src/main/load-predictor.js');
  const texts = await loadTestSplitTexts(args.data!, TEXTS!);
  const { predictor } = await loadServicePredictor(
    { MODELS_DIR: join(repoRoot, 'models') },
    pino({ level: 'warn' }),
  );
  const predictions = texts.map((t, i) => {
    const o = predictor.predict({ text: t.text, published: t.published, explain: 'none' });
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      text: t.text,
      severity: o.severity,
      entities: o.entities,
      techniques: o.techniques,
      createdAt: 1_700_000_000_000 + i,
    };
  });
  writeFileSync(predictionsFile, JSON.stringify(predictions));
}

const load0 = loadavg()[0]!;
const results: RunResult[] = [];
for (let pair = 0; pair < PAIRS!; pair++) {
  for (const version of ['before', 'after'] as const) {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--rev',
        args.rev,
        '--texts',
        String(TEXTS),
        '--one',
        version,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    results.push(JSON.parse(out.trim().split('\n').at(-1)!) as RunResult);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const of = (v: string) => results.filter((r) => r.version === v);
const before = median(of('before').map((r) => r.msPerThreat));
const after = median(of('after').map((r) => r.msPerThreat));
const hashes = new Set(results.map((r) => r.sha256));
console.log(
  `bench/graph/threats-ab: ${args.rev} (before) against the working tree (after), ${TEXTS} predictions x ${REPEAT} recorded per run, ${PAIRS} alternating pairs; load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
);
console.log(
  `rows written: ${hashes.size === 1 ? 'the same in every run' : `DIFFER (${hashes.size} distinct hashes)`} (${results[0]!.rows} rows)`,
);
console.log(
  `CPU per recorded threat: before ${before.toFixed(4)} ms, after ${after.toFixed(4)} ms (medians), after/before ${(after / before).toFixed(3)}; runs: ${results.map((r) => `${r.version[0]}${r.msPerThreat.toFixed(3)}`).join(' ')}`,
);
console.log(
  JSON.stringify({ rev: args.rev, texts: TEXTS, pairs: PAIRS, sameRows: hashes.size === 1, before, after }),
);
