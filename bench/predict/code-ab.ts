/**
 * Prediction CPU of one model directory with the code of an earlier git
 * revision ("before") against the working tree ("after"), in one process,
 * rounds interleaved so both see the same load; also checks that both give
 * the same probabilities, bit for bit, on every text.
 *
 *   nice -n 10 node --import tsx bench/predict/code-ab.ts --rev 0fecc67 [--model models/severity]
 *        [--data ../shared/data] [--n 1000] [--rounds 12]
 *
 * The old `src/` is extracted with `git archive` into `.tmp/code-ab-REV/` (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inputOf, loadSeverityCorpus, type SeverityModel } from '../../src/model/index.js';

const { values } = parseArgs({
  options: {
    rev: { type: 'string' },
    model: { type: 'string', default: 'models/severity' },
    data: { type: 'string', default: '../shared/data' },
    n: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '12' },
  },
});
if (!values.rev || !/^[0-9a-f]{7,40}$/.test(values.rev)) throw new Error('--rev must be a commit hash');
const n = Number(values.n);
const rounds = Number(values.rounds);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(rounds) || rounds < 2)
  throw new Error('--n must be >= 1 and --rounds >= 2');

const oldRoot = resolve(`.tmp/code-ab-${values.rev}`);
if (!existsSync(`${oldRoot}/src/model/index.ts`)) {
  mkdirSync(oldRoot, { recursive: true });
  const tar = `${oldRoot}.tar`;
  execFileSync('git', ['archive', '-o', tar, values.rev, 'src']);
  execFileSync('tar', ['-x', '-f', tar, '-C', oldRoot]);
}
type Loader = { loadSeverityModel: (dir: string) => Promise<SeverityModel> };
const before = await ((await import(`${oldRoot}/src/model/index.ts`)) as Loader).loadSeverityModel(
  values.model,
);
const after = await ((await import(resolve('src/model/index.ts'))) as Loader).loadSeverityModel(values.model);

const corpus = await loadSeverityCorpus(values.data, { seed: 42, maxWeakInformational: 0 });
const texts = corpus.test.slice(0, n).map(inputOf);
const extra = [
  { text: '' },
  { text: 'Ünïcödé 123 4.5.6 a-b_c', source: ' RedHat ' },
  { text: 'x'.repeat(5000) },
];
let differing = 0;
let differentClass = 0;
let maxAbsDiff = 0;
for (const t of [...texts, ...extra]) {
  const a = before.predict(t);
  const b = after.predict(t);
  const pa = a.probabilities;
  const pb = b.probabilities;
  if (pa.length !== pb.length || pa.some((v, i) => v !== pb[i])) differing++;
  if (a.severity !== b.severity) differentClass++;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++)
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((pa[i] as number) - (pb[i] as number)));
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = { before: [] as number[], after: [] as number[] };
const startLoad = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  const order: ['before' | 'after', SeverityModel][] = [
    ['before', before],
    ['after', after],
  ];
  if (r % 2 === 1) order.reverse();
  for (const [name, m] of order) {
    const t0 = cpuMs();
    for (const t of texts) m.predict(t);
    times[name].push((cpuMs() - t0) / texts.length);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
process.stdout.write(
  `${JSON.stringify({
    model: `${after.ref.family} ${after.ref.version}`,
    rev: values.rev,
    texts: texts.length,
    meanChars: Math.round(texts.reduce((a, t) => a + t.text.length, 0) / texts.length),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`,
    loadAverage: { start: startLoad, end: loadavg()[0] },
    differingPredictions: differing,
    differentClass,
    maxAbsDiff,
    cpuMsPerPredict: {
      before: {
        median: Number(median(times.before).toFixed(4)),
        min: Number(Math.min(...times.before).toFixed(4)),
      },
      after: {
        median: Number(median(times.after).toFixed(4)),
        min: Number(Math.min(...times.after).toFixed(4)),
      },
    },
  })}\n`,
);
