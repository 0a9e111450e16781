/**
 * bench/api/stages: CPU time per text of each stage the predict route runs, on
 * the same test-split texts as bench/api/run.ts, in one process, to explain
 * where a prediction's server CPU goes: the model stages alone, then the whole
 * predictor the route calls (adds anomaly score, explanation, recommendations).
 *
 * Usage: nice -n 10 node --import tsx bench/api/stages.ts [--data FILE] [--texts N] [--models DIR]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadWarninglistIndex } from '../../src/assets/index.js';
import { extractIndicators } from '../../src/extract/index.js';
import {
  loadServicePredictor,
  loadShippedSeverityModel,
  loadShippedTechniqueMapper,
} from '../../src/main/load-predictor.js';
import { CVE_FILE } from '../shared-data.js';
import { loadTestSplitTexts } from './cve-texts.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    data: {
      type: 'string',
      default: CVE_FILE,
    },
    texts: { type: 'string', default: '3000' },
    models: { type: 'string', default: join(repoRoot, 'models') },
  },
});
if (!existsSync(args.data!)) {
  console.log(`bench/api/stages: ${args.data} not found: skipped (needs ../shared/data)`);
  process.exit(0);
}
const texts = await loadTestSplitTexts(args.data!, Number(args.texts));
const logger = pino({ level: 'warn' });
const severity = await loadShippedSeverityModel(args.models!, logger);
const techniques = await loadShippedTechniqueMapper(args.models!, logger);
const warninglists = await loadWarninglistIndex();
if (severity === undefined) throw new Error(`no severity model in ${args.models}`);
// The whole predictor the route calls (extraction, both models, anomaly score, explanation, recommendations).
const { predictor } = await loadServicePredictor({ MODELS_DIR: args.models! }, logger);

/** CPU ms per text of `f` over all texts, after one warm-up pass over the first 200. */
function cpuPerText(f: (text: string, i: number) => unknown): number {
  for (const [i, t] of texts.slice(0, 200).entries()) f(t.text, i);
  const start = process.cpuUsage();
  for (const [i, t] of texts.entries()) f(t.text, i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / texts.length;
}

const stages: Record<string, number> = {
  'extraction + warninglist flags': cpuPerText((t) => extractIndicators(t, { warninglists })),
  [`severity model (${severity.model.ref.family})`]: cpuPerText((t, i) =>
    severity.model.predict({ text: t, published: texts[i]!.published }),
  ),
  ...(techniques === undefined
    ? {}
    : { 'technique model (mapDocument)': cpuPerText((t) => techniques.mapDocument(t)) }),
  'whole predictor, explain "none"': cpuPerText((t, i) =>
    predictor.predict({ text: t, published: texts[i]!.published, explain: 'none' }),
  ),
  'whole predictor, default explanation': cpuPerText((t, i) =>
    predictor.predict({ text: t, published: texts[i]!.published }),
  ),
};
const chars = texts.reduce((a, t) => a + t.text.length, 0) / texts.length;
console.log(`bench/api/stages: ${texts.length} texts, mean ${chars.toFixed(0)} characters`);
for (const [name, ms] of Object.entries(stages))
  console.log(`${name.padEnd(40)} ${ms.toFixed(3)} ms CPU/text`);
console.log(JSON.stringify({ texts: texts.length, meanChars: chars, cpuMsPerText: stages }));
