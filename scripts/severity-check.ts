/**
 * Data check of the shipped severity model (run by .ci/data-checks/severity-eval.sh
 * where ../shared/data exists): rebuilds the fixed test split from the public
 * CVE records, evaluates the model in `--model` through the same code as
 * `cyberstreams eval`, and fails unless the figures equal those recorded in
 * the model's `evaluation.json` (the shipped model must be the measured one)
 * and the importer saw the documented record counts.
 *
 *   node --import tsx scripts/severity-check.ts [--data ../shared/data] [--model models/severity]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateSeverity, inputOf, loadSeverityCorpus, loadSeverityModel } from '../src/model/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    model: { type: 'string', default: 'models/severity' },
  },
});
const recorded = JSON.parse(readFileSync(join(values.model, 'evaluation.json'), 'utf8')) as {
  model: { version: string };
  testRecords: number;
  fourClass: { n: number; accuracy: number; macroF1: number; ece: number };
  fiveClass: { n: number; accuracy: number; macroF1: number };
};
const problems: string[] = [];
const corpus = await loadSeverityCorpus(values.data, { seed: 42, maxWeakInformational: 0 });
// Counts documented in the data README and the data card: 44,130 records, of which 104 rejected.
if (corpus.report.imported + corpus.report.skipped !== 44130) {
  problems.push(`importer saw ${corpus.report.imported + corpus.report.skipped} records, expected 44130`);
}
if (corpus.test.length !== recorded.testRecords) {
  problems.push(`test split has ${corpus.test.length} records, evaluation.json says ${recorded.testRecords}`);
}
const model = await loadSeverityModel(values.model);
if (model.ref.version !== recorded.model.version) {
  problems.push(`model version ${model.ref.version} is not the evaluated ${recorded.model.version}`);
}
const probs = model.predictBatch(corpus.test.map(inputOf)).map((p) => p.probabilities);
const truth = corpus.test.map((d) => d.label ?? 'medium');
const e4 = evaluateSeverity(truth, probs, { classes: 4 });
const e5 = evaluateSeverity(truth, probs, { classes: 5 });
const same = (name: string, a: number, b: number) => {
  if (Math.abs(a - b) > 1e-9) problems.push(`${name}: measured ${a}, recorded ${b}`);
};
same('fourClass.accuracy', e4.accuracy, recorded.fourClass.accuracy);
same('fourClass.macroF1', e4.macroF1, recorded.fourClass.macroF1);
same('fourClass.ece', e4.ece, recorded.fourClass.ece);
same('fiveClass.accuracy', e5.accuracy, recorded.fiveClass.accuracy);
model.dispose();
process.stdout.write(
  `${JSON.stringify({ ok: problems.length === 0, accuracy4: e4.accuracy, macroF1_4: e4.macroF1, ece4: e4.ece, problems })}\n`,
);
if (problems.length > 0) process.exitCode = 1;
