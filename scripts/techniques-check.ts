/**
 * Runs `cyberstreams eval --task techniques` in process on a JSON-lines file and
 * compares its micro-F1 with the figure the model's manifest records for `--metric`
 * (used by .ci/data-checks/techniques-eval.sh). Exits 1 on a difference above 1e-9.
 *
 *   node --import tsx scripts/techniques-check.ts --model models/techniques \
 *     --data .tmp/techniques-split/test-spans.jsonl --metric test-spans
 */
import { parseArgs } from 'node:util';
import { evaluateTechniqueModel, loadTechniqueModel, readTechniqueExamples } from '../src/attack/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/techniques' },
    data: { type: 'string' },
    metric: { type: 'string' },
  },
});
if (values.data === undefined || values.metric === undefined) {
  process.stderr.write('usage: techniques-check.ts --model DIR --data FILE --metric NAME\n');
  process.exit(2);
}
const model = loadTechniqueModel(values.model);
const result = evaluateTechniqueModel(model, readTechniqueExamples(values.data));
const recorded = model.manifest.metrics[values.metric];
process.stdout.write(
  `${values.metric}: n ${result.n}, micro-F1 ${result.microF1.toFixed(4)}, macro-F1 ${result.macroF1.toFixed(4)}, ` +
    `precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)}; manifest: ${recorded?.microF1.toFixed(4)}\n`,
);
if (recorded === undefined || Math.abs(recorded.microF1 - result.microF1) > 1e-9 || recorded.n !== result.n) {
  process.stderr.write(`techniques-check: ${values.metric} does not reproduce the manifest's figure\n`);
  process.exit(1);
}
