/**
 * What the self-learning loop costs on the request path, with the shipped
 * severity model and the gate holdout's texts (shipped, so this runs on a
 * fresh clone):
 *
 *   - CPU per request of the model alone (baseline, same run), through the
 *     router with the active model only, with a shadow (scored after the
 *     response), and with a 50 % canary (the active answer computed after the
 *     response for the pairing). Background work is drained and counted.
 *   - Drift: featurizing one answer for the window (off the request path) and
 *     computing the report over a full window of 2,000.
 *
 *   nice -n 10 node --import tsx bench/learning/serving.ts [--models models] [--rounds 5]
 *
 * CPU time (process.cpuUsage) is the figure to read on a shared machine.
 * Prints a JSON object as its last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../../src/core/index.js';
import {
  DriftMonitor,
  defaultHoldoutPath,
  driftVector,
  type LoadedVariant,
  ModelRouter,
  readDriftSupport,
  readHoldout,
  writeDriftReference,
} from '../../src/learning/index.js';
import { loadSeverityModel, readManifest, type SeverityModel } from '../../src/model/index.js';
import { machine } from '../shared-data.js';

const { values } = parseArgs({
  options: { models: { type: 'string', default: 'models' }, rounds: { type: 'string', default: '5' } },
});
const rounds = Number(values.rounds);
const load0 = loadavg()[0];
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const drain = () => new Promise<void>((r) => setImmediate(r));

interface In {
  text: string;
  source?: string;
  routingKey?: string;
}
interface Out {
  model: { family: string; version: string };
  severity: string;
}

const dir = join(values.models, 'severity');
const holdout = await readHoldout(defaultHoldoutPath());
const inputs: In[] = holdout.map((d, i) => ({
  text: d.text,
  ...(d.source === undefined ? {} : { source: d.source }),
  routingKey: `item-${i}`,
}));
const models: SeverityModel[] = [
  await loadSeverityModel(dir),
  await loadSeverityModel(dir),
  await loadSeverityModel(dir),
];
const variant = (m: SeverityModel, version: string): LoadedVariant<In, Out> => ({
  family: m.ref.family,
  version,
  holdout: null,
  predictor: {
    predict: (i) => {
      const p = m.predict({ text: i.text, ...(i.source === undefined ? {} : { source: i.source }) });
      return { model: { family: m.ref.family, version }, severity: p.severity };
    },
    dispose: () => {},
  },
});

async function cpuPerRequest(run: (i: In) => unknown): Promise<{ median: number; min: number }> {
  const perRound: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const c0 = process.cpuUsage();
    for (const i of inputs) await run(i);
    await drain();
    await drain();
    const us = (cpuMs(process.cpuUsage(c0)) * 1000) / inputs.length;
    if (r > 0) perRound.push(us); // round 0 warms up
  }
  perRound.sort((a, b) => a - b);
  return {
    median: Math.round(perRound[Math.floor(perRound.length / 2)]! * 10) / 10,
    min: Math.round(perRound[0]! * 10) / 10,
  };
}

const router = (canaryShare: number) => {
  let observations = 0;
  const r = new ModelRouter<In, Out>({ canaryShare, now: () => 0, onObservation: () => observations++ });
  return { r, seen: () => observations };
};

const base = models[0]!;
const results: Record<string, unknown> = {};
results.modelAlone = await cpuPerRequest((i) =>
  base.predict({ text: i.text, ...(i.source === undefined ? {} : { source: i.source }) }),
);
{
  const { r } = router(0);
  r.set('active', variant(models[0]!, 'a'));
  results.routerActiveOnly = await cpuPerRequest((i) => r.predict(i));
}
{
  const { r, seen } = router(0);
  r.set('active', variant(models[0]!, 'a'));
  r.set('shadow', variant(models[1]!, 's'));
  results.routerWithShadow = await cpuPerRequest((i) => r.predict(i));
  results.shadowObservations = seen();
}
{
  const { r, seen } = router(0.5);
  r.set('active', variant(models[0]!, 'a'));
  r.set('canary', variant(models[2]!, 'c'));
  results.routerWithCanary50 = await cpuPerRequest((i) => r.predict(i));
  results.canaryObservations = seen();
}

// Drift: the shipped model's reference (as the registry writes it) from the holdout texts.
const tmp = mkdtempSync(join(tmpdir(), 'cs-bench-drift-'));
try {
  const t0 = performance.now();
  await writeDriftReference(tmp, {
    docs: holdout.map((d) => ({ text: d.text, ...(d.source === undefined ? {} : { source: d.source }) })),
    model: base,
    description: 'bench',
    now: Date.now(),
  });
  results.driftReferenceBuildMs = Math.round(performance.now() - t0);
  const support = (await readDriftSupport([tmp], await readManifest(dir)))!;
  const artefacts = support.artefacts!;
  const c0 = process.cpuUsage();
  const vectors = inputs.map((i) => driftVector(artefacts, i, Date.now()));
  results.driftFeaturizeUsPerAnswer = Math.round((cpuMs(process.cpuUsage(c0)) * 1000) / inputs.length);
  const monitor = new DriftMonitor({
    window: 2_000,
    minSamples: 300,
    psiAlarm: 0.25,
    clock: fixedClock(0),
    reportTtlMs: 0,
  });
  monitor.reset({ family: base.ref.family, version: base.ref.version }, support.reference);
  vectors.forEach((v, i) => {
    monitor.observe(v, i % 5);
  });
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c1 = process.cpuUsage();
    monitor.report();
    times.push(cpuMs(process.cpuUsage(c1)));
  }
  times.sort((a, b) => a - b);
  results.driftReportMsWindow2000 = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const m of models) m.dispose();
console.log(
  JSON.stringify({
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: { start: load0, end: loadavg()[0] },
    model: `${base.ref.family} ${base.ref.version}`,
    texts: inputs.length,
    rounds,
    unit: 'CPU microseconds per request (median and best of the rounds), background scoring included',
    ...results,
  }),
);
