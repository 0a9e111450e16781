/** Timing helpers of bench/graph: quantiles, wall and CPU time per call. */

/** Nearest-rank percentile `p` (0..100) of ascending `sorted`. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Latency figures of a set of calls. */
export interface Timing {
  /** Wall milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** This process's CPU milliseconds (user + system) per query: what the query costs here, whatever the load. */
  cpuP50: number;
  cpuP95: number;
  /** Fraction of queries answered in under 10 ms wall time (the target). */
  under10ms: number;
  meanNodes: number;
}

/** One timed call: wall and this process's CPU milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { value, ms, cpu: (c.user + c.system) / 1000 };
}

/** {@link Timing} of wall and CPU milliseconds (sorted in place) and the nodes the calls reached. */
export function summarise(ms: number[], cpu: number[], nodes: number): Timing {
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: pct(ms, 50),
    p95: pct(ms, 95),
    p99: pct(ms, 99),
    max: ms.at(-1) ?? Number.NaN,
    cpuP50: pct(cpu, 50),
    cpuP95: pct(cpu, 95),
    under10ms: ms.filter((x) => x < 10).length / ms.length,
    meanNodes: nodes / ms.length,
  };
}

/** `n` calls of `fn` one after the other, timed; `fn` returns the nodes it reached. */
export async function measure(n: number, fn: (i: number) => Promise<number>): Promise<Timing> {
  const ms: number[] = [];
  const cpu: number[] = [];
  let nodes = 0;
  for (let i = 0; i < n; i++) {
    const t = await timed(() => fn(i));
    nodes += t.value;
    ms.push(t.ms);
    cpu.push(t.cpu);
  }
  return summarise(ms, cpu, nodes);
}
