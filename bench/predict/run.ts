/**
 * Prediction cost of the shipped severity model, against its members (the
 * hashed n-gram model and the TF.js MLP baseline) or other model directories
 * measured in the same run, on real test-split texts.
 *
 *   nice -n 10 node --import tsx bench/predict/run.ts [--data ../shared/data]
 *        [--model models/severity] [--compare DIR]... [--n 2000]
 *
 * For each model: load time, CPU time per `predict` call (single text, after a
 * warm-up), wall latency percentiles per call, and batched CPU time per text.
 * CPU time (process.cpuUsage) is the figure that does not depend on other jobs
 * sharing the machine; wall latency does.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inputOf, loadSeverityCorpus, loadSeverityModel, type SeverityInput } from '../../src/model/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    model: { type: 'string', default: 'models/severity' },
    /** Models to compare against in the same run (repeatable); default: the ensemble's members, else models/severity-baseline. */
    compare: { type: 'string', multiple: true, default: [] },
    n: { type: 'string', default: '2000' },
  },
});

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function measure(dir: string, texts: readonly SeverityInput[]) {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = await loadSeverityModel(dir);
  const loadMs = performance.now() - t0;
  const rssAfterLoad = process.memoryUsage().rss - rss0;
  for (const t of texts.slice(0, 200)) model.predict(t); // warm-up (JIT, backend)
  const lat: number[] = [];
  const c0 = process.cpuUsage();
  for (const t of texts) {
    const s = performance.now();
    model.predict(t);
    lat.push(performance.now() - s);
  }
  const single = cpuMs(process.cpuUsage(c0)) / texts.length;
  const c1 = process.cpuUsage();
  for (let i = 0; i < texts.length; i += 256) model.predictBatch(texts.slice(i, i + 256));
  const batched = cpuMs(process.cpuUsage(c1)) / texts.length;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] as number;
  const ref = model.ref;
  model.dispose();
  return {
    model: `${ref.family} ${ref.version}`,
    dir,
    loadMs: Math.round(loadMs),
    rssAfterLoadMiB: Math.round(rssAfterLoad / 1048576),
    cpuMsPerPredict: Number(single.toFixed(4)),
    cpuMsPerTextBatched: Number(batched.toFixed(4)),
    wallMs: { p50: Number(q(0.5).toFixed(4)), p99: Number(q(0.99).toFixed(4)), max: Number(q(1).toFixed(3)) },
  };
}

const corpus = await loadSeverityCorpus(values.data, { seed: 42, maxWeakInformational: 0 });
const texts = corpus.test.slice(0, Number(values.n)).map(inputOf);
const meanChars = texts.reduce((a, t) => a + t.text.length, 0) / texts.length;
const startLoad = loadavg()[0];
const members = ['hashed', 'mlp']
  .map((m) => join(values.model, m))
  .filter((d) => existsSync(join(d, 'manifest.json')));
const compare =
  values.compare.length > 0 ? values.compare : members.length > 0 ? members : ['models/severity-baseline'];
const results = [await measure(values.model, texts)];
for (const dir of compare) results.push(await measure(dir, texts));
process.stdout.write(
  `${JSON.stringify({
    texts: texts.length,
    meanChars: Math.round(meanChars),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`,
    loadAverage: { start: startLoad, end: loadavg()[0] },
    results,
  })}\n`,
);
