import { join } from 'node:path';
import { AppError } from '../core/index.js';
import { importLabelledJsonl, type LabelledDoc, type SeverityClass } from '../ingest/index.js';
import { evaluateSeverity, loadSeverityModel, type SeverityInput } from '../model/index.js';
import type { CliContext } from './context.js';
import { assertModelTask } from './model-task.js';
import type { CliTask, EvalOptions } from './task.js';

/** Sub-directory of MODELS_DIR holding the active severity model. */
const ACTIVE_SEVERITY_DIR = 'severity';

/** Examples predicted per batch (bounds memory on big files). */
const BATCH = 512;

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * `cyberstreams eval --task severity --data FILE [--model DIR]`
 *
 * FILE is JSON lines with `text`, `severity` (CRITICAL, HIGH, MEDIUM, LOW,
 * NONE or a class name, any case; `label` is accepted too) and optional
 * `source`, `published`, `cwes`. Lines without a usable severity are reported
 * on stderr and left out. The default model is the active one
 * (`MODELS_DIR/severity`). The last stdout line is one JSON object: `n`,
 * `accuracy`, `macroF1`, `perClass` (precision, recall, f1, support per class),
 * `confusion` (rows: truth, columns: prediction, in `classes` order), `ece`,
 * `selective` (accuracy at 50 %, 80 % and 100 % coverage by confidence), over
 * the five classes; plus `fourClass` (the same figures over the four CVSS
 * classes, informational examples left out), `model` and `skipped`.
 */
export const evalSeverityTask: CliTask<EvalOptions> = {
  name: 'severity',
  description: 'severity classifier on JSON lines {text, severity, source?}',
  async run(opts: EvalOptions, ctx: CliContext): Promise<void> {
    const dir = opts.model ?? join(ctx.loadConfig().MODELS_DIR, ACTIVE_SEVERITY_DIR);
    await assertModelTask(dir, 'severity');
    const model = await loadSeverityModel(dir);
    try {
      const truth: SeverityClass[] = [];
      const probabilities: number[][] = [];
      let skipped = 0;
      let pending: LabelledDoc[] = [];
      const flush = () => {
        const inputs: SeverityInput[] = pending.map((d) => ({
          text: d.text,
          ...(d.source === undefined ? {} : { source: d.source }),
          ...(d.published === undefined ? {} : { published: d.published }),
          ...(d.cwes.length === 0 ? {} : { cwes: d.cwes }),
        }));
        for (const p of model.predictBatch(inputs)) probabilities.push(p.probabilities);
        pending = [];
      };
      for await (const d of importLabelledJsonl(opts.data, {
        onSkip: (s) => {
          skipped++;
          ctx.stderr(`skipped ${s.where}: ${s.reason}\n`);
        },
      })) {
        if (d.label === undefined) {
          skipped++;
          ctx.stderr(`skipped ${d.id}: no severity label\n`);
          continue;
        }
        truth.push(d.label);
        pending.push(d);
        if (pending.length >= BATCH) flush();
      }
      flush();
      if (truth.length === 0) {
        throw new AppError('CS_ERR_VALIDATION', `${opts.data} holds no labelled examples`, {
          details: { skipped },
        });
      }
      const five = evaluateSeverity(truth, probabilities, { classes: 5 });
      const four = evaluateSeverity(truth, probabilities, { classes: 4 });
      const figures = (e: typeof five) => ({
        n: e.n,
        accuracy: round(e.accuracy),
        macroF1: round(e.macroF1),
        perClass: Object.fromEntries(
          Object.entries(e.perClass).map(([c, m]) => [
            c,
            { precision: round(m.precision), recall: round(m.recall), f1: round(m.f1), support: m.support },
          ]),
        ),
        classes: e.classes,
        confusion: e.confusion,
        ece: round(e.ece),
        selective: {
          '0.5': round(e.selective['0.5']),
          '0.8': round(e.selective['0.8']),
          '1.0': round(e.selective['1.0']),
        },
      });
      ctx.stdout(
        `${JSON.stringify({ ...figures(five), fourClass: figures(four), model: model.ref, skipped })}\n`,
      );
    } finally {
      model.dispose();
    }
  },
};
