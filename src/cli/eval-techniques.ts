import { join } from 'node:path';
import { evaluateTechniqueModel, loadTechniqueModel, readTechniqueExamples } from '../attack/index.js';
import type { CliContext } from './context.js';
import { assertModelTask } from './model-task.js';
import type { CliTask, EvalOptions } from './task.js';

/**
 * `cyberstreams eval --task techniques --data FILE [--model DIR]`: FILE holds JSON lines
 * `{text, techniques: ["T1059.001", ...]}`; each text is mapped as one sentence. Lines that
 * are not JSON or not of that shape are reported on stderr (`skipped FILE:LINE: reason`) and
 * left out, as `eval --task severity` does; a file with no usable line fails. The last
 * stdout line is one JSON object: `n, microF1, macroF1, precision, recall, exactMatch,
 * noTechnique, perTechnique` (ids compared at the depth the data gives), `model` and
 * `skipped`. Default model: `$MODELS_DIR/techniques`.
 */
export const evalTechniquesTask: CliTask<EvalOptions> = {
  name: 'techniques',
  description: 'ATT&CK technique mapping of sentences (micro/macro F1)',
  async run(options: EvalOptions, ctx: CliContext): Promise<void> {
    const dir = options.model ?? join(ctx.loadConfig().MODELS_DIR, 'techniques');
    await assertModelTask(dir, 'techniques');
    const model = loadTechniqueModel(dir);
    let skipped = 0;
    const examples = readTechniqueExamples(options.data, {
      onSkip: (s) => {
        skipped++;
        ctx.stderr(`skipped ${s.where}: ${s.reason}\n`);
      },
    });
    ctx.stderr(`techniques: evaluating ${dir} on ${examples.length} examples from ${options.data}\n`);
    const result = evaluateTechniqueModel(model, examples);
    ctx.stderr(
      `techniques: micro-F1 ${result.microF1.toFixed(3)}, macro-F1 ${result.macroF1.toFixed(3)}, ` +
        `precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}\n`,
    );
    ctx.stdout(`${JSON.stringify({ task: 'techniques', model: dir, ...result, skipped })}\n`);
  },
};
