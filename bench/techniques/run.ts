/**
 * Speed of the shipped technique model on real reports (TRAM's annotated reports):
 * model load time, memory, and CPU time of `mapDocument` per report and per sentence,
 * against the floor of splitting the same reports into sentences (same run).
 *
 *   nice -n 10 node --import tsx bench/techniques/run.ts \
 *     [--data ../shared/data/tram/annotated-reports.jsonl.gz] [--model models/techniques] [--rounds 3]
 */

import { readFileSync } from 'node:fs';
import { cpuUsage, memoryUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { loadTechniqueModel, splitSentences } from '../../src/attack/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/tram/annotated-reports.jsonl.gz' },
    model: { type: 'string', default: 'models/techniques' },
    rounds: { type: 'string', default: '3' },
  },
});
const cpuMs = (f: () => void): number => {
  const start = cpuUsage();
  f();
  const d = cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const reports = gunzipSync(readFileSync(values.data))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { report: { signal: string } }).report.signal);
const chars = reports.reduce((n, r) => n + r.length, 0);
const sentences = reports.reduce((n, r) => n + splitSentences(r).length, 0);
const rssBefore = memoryUsage().rss;
let model = loadTechniqueModel(values.model);
const loadMs = cpuMs(() => {
  model = loadTechniqueModel(values.model);
});
const rssAfter = memoryUsage().rss;
const rounds = Number(values.rounds);
const best = (f: () => void) => Math.min(...Array.from({ length: rounds }, () => cpuMs(f)));
let found = 0;
const splitMs = best(() => {
  for (const r of reports) splitSentences(r);
});
const mapMs = best(() => {
  found = 0;
  for (const r of reports) found += model.mapDocument(r).techniques.length;
});
const wall: number[] = [];
for (const r of reports) {
  const t = process.hrtime.bigint();
  model.mapDocument(r);
  wall.push(Number(process.hrtime.bigint() - t) / 1e6);
}
wall.sort((a, b) => a - b);
const pct = (p: number) => wall[Math.min(wall.length - 1, Math.floor(p * wall.length))] as number;
const result = {
  reports: reports.length,
  meanChars: Math.round(chars / reports.length),
  sentences,
  modelLoadCpuMs: Math.round(loadMs),
  rssMiBForModel: Math.round((rssAfter - rssBefore) / 2 ** 20),
  baselineSplitOnlyCpuMsPerReport: splitMs / reports.length,
  mapDocumentCpuMsPerReport: mapMs / reports.length,
  mapDocumentCpuUsPerSentence: (mapMs * 1000) / sentences,
  sentencesPerCpuSecond: Math.round(sentences / (mapMs / 1000)),
  wallMsPerReport: { p50: pct(0.5), p99: pct(0.99), max: wall[wall.length - 1] },
  techniquesFoundPerReport: found / reports.length,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
