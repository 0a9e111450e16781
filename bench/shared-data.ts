/**
 * What several benchmarks share: where the public data lives, CPU timing,
 * the quantiles they report and the machine they ran on.
 */
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');

/** A file of the public data: `$SHARED_DATA/...parts`, `SHARED_DATA` defaulting to `../shared/data` beside the repository. */
export function sharedDataFile(...parts: string[]): string {
  return join(process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'), ...parts);
}

/** The vulnrichment CVE JSON 5 lines most benchmarks read their texts from. */
export const CVE_FILE = sharedDataFile('cve', 'vulnrichment-cve5.jsonl.gz');

/** CPU milliseconds (user + system) of this process spent in `fn`. */
export function cpuMs(fn: () => void): number {
  const t = process.cpuUsage();
  fn();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
}

/** Nearest-rank quantile `p` (0..1) of `xs` (not modified). */
export function quantile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** `x` rounded to `d` decimals, as a number (for JSON output). */
export function round(x: number, d = 3): number {
  return Number(x.toFixed(d));
}

/** The machine a result was measured on: core count, CPU model, memory (GiB) and Node version. */
export function machine(): { cpus: number; cpu: string | undefined; memGiB: number; node: string } {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
