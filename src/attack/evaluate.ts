import Type, { type Static } from 'typebox';
import { AppError, validate } from '../core/index.js';
import { readTextFile } from './data/read-json.js';
import { evaluateTechniques, type TechniqueEvaluation } from './metrics.js';
import type { TechniqueModel } from './technique-model.js';

/**
 * The evaluation contract of `cyberstreams eval --task techniques`: JSON lines of
 * `{text, techniques}` in, micro/macro figures out.
 */

/** One labelled line: a sentence and the technique ids it describes (empty: none). */
export const TechniqueExampleSchema = Type.Object({
  text: Type.String({ minLength: 1 }),
  techniques: Type.Array(Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' })),
});

/** One labelled line. */
export type TechniqueExample = Static<typeof TechniqueExampleSchema>;

/** A line {@link readTechniqueExamples} left out, with `onSkip`. */
export interface SkippedExample {
  /** `<file>:<line>`. */
  where: string;
  /** Why, one short sentence. */
  reason: string;
}

/**
 * Reads a JSON-lines file of {@link TechniqueExample}s (blank lines skipped; other fields
 * ignored). Throws CS_ERR_INPUT_UNREADABLE for an unreadable file or a line that is not
 * JSON, CS_ERR_VALIDATION for a line of the wrong shape or an empty file; errors name the line.
 * With `onSkip`, a bad line is reported to it and left out instead (the file still
 * fails when no example is left).
 */
export function readTechniqueExamples(
  path: string,
  options: { onSkip?: (skipped: SkippedExample) => void } = {},
): TechniqueExample[] {
  const lines = readTextFile(path).split('\n');
  const out: TechniqueExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const where = `${path}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line) as unknown;
    } catch (cause) {
      if (options.onSkip) {
        options.onSkip({ where, reason: 'not valid JSON' });
        continue;
      }
      throw new AppError('CS_ERR_INPUT_UNREADABLE', `${where} is not valid JSON`, {
        cause,
        details: { path, line: i + 1 },
      });
    }
    let ex: TechniqueExample;
    try {
      ex = validate(TechniqueExampleSchema, raw, where);
    } catch (err) {
      if (!options.onSkip || !(err instanceof AppError)) throw err;
      const problems = (err.details?.problems ?? []) as { path: string; message: string }[];
      options.onSkip({
        where,
        reason: problems.map((p) => `${p.path}: ${p.message}`).join('; ') || err.message,
      });
      continue;
    }
    out.push({ text: ex.text, techniques: ex.techniques });
  }
  if (out.length === 0) {
    throw new AppError('CS_ERR_VALIDATION', `${path} holds no examples`, { details: { path } });
  }
  return out;
}

/**
 * Maps each example's text as one sentence (it is not split further) and scores the
 * predictions against its labels, ids compared at the depth the labels give.
 */
export function evaluateTechniqueModel(
  model: Pick<TechniqueModel, 'mapSentence'>,
  examples: readonly TechniqueExample[],
): TechniqueEvaluation {
  return evaluateTechniques(
    examples.map((e) => ({ gold: e.techniques, predicted: model.mapSentence(e.text).map((t) => t.id) })),
  );
}
