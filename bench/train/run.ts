/**
 * Time and peak memory of `cyberstreams train --task severity` on the public
 * data (the shipped model's recipe), with the TF.js MLP baseline's training
 * measured in the same run for comparison.
 *
 *   npm run build && node --import tsx bench/train/run.ts [--data ../shared/data] [--skip-baseline]
 *        [--set key=value]... [--out models/severity] [--baseline-out models/severity-baseline]
 *
 * Each run is a child process under `/usr/bin/time -v` at `nice -n 10`: wall
 * time, user + system CPU time and peak resident memory (max RSS) are read
 * from its report. Targets: under 10 minutes and under 4 GB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    'skip-baseline': { type: 'boolean', default: false },
    /** Keep the shipped-recipe model here (e.g. models/severity) instead of a removed temp dir. */
    out: { type: 'string' },
    /** Keep the baseline's model here (e.g. models/severity-baseline) instead of a removed temp dir. */
    'baseline-out': { type: 'string' },
    /** Extra `--set key=value` settings for the shipped-recipe run (repeatable). */
    set: { type: 'string', multiple: true, default: [] },
  },
});

interface Run {
  what: string;
  exitCode: number;
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  summary: unknown;
}

function run(what: string, extra: string[], keep?: string): Promise<Run> {
  const out = keep ?? mkdtempSync(join(tmpdir(), 'cs-bench-train-'));
  const args = [
    '-v',
    'nice',
    '-n',
    '10',
    'node',
    'bin/cyberstreams.js',
    'train',
    '--task',
    'severity',
    '--data-dir',
    values.data,
    '--out',
    out,
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const num = (re: RegExp) => Number(re.exec(stderr)?.[1] ?? Number.NaN);
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
      const wallSeconds = wall
        ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])
        : Number.NaN;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let summary: unknown = null;
      try {
        summary = JSON.parse(last);
      } catch {
        summary = last;
      }
      if (keep === undefined) rmSync(out, { recursive: true, force: true });
      resolve({
        what,
        exitCode: code ?? -1,
        wallSeconds,
        cpuSeconds: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/),
        maxRssMiB: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
        summary,
      });
    });
  });
}

const startLoad = loadavg()[0];
const shipped = values.set.flatMap((kv) => ['--set', kv]);
const runs = [await run(`shipped recipe ${values.set.join(' ')}`.trim(), shipped, values.out)];
if (!values['skip-baseline']) {
  runs.push(await run('tfjs-mlp baseline', ['--set', 'family=tfjs-mlp'], values['baseline-out']));
}
process.stdout.write(
  `${JSON.stringify({
    machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`,
    loadAverage: { start: startLoad, end: loadavg()[0] },
    runs: runs.map((r) => ({ ...r, under10min: r.wallSeconds < 600, under4GB: r.maxRssMiB < 4096 })),
  })}\n`,
);
