import Type from 'typebox';
import { recordChecker } from './checker.js';
import { normaliseTimestamp } from './cve5-record.js';
import type { ImportOptions } from './import-options.js';
import type { LabelledDoc } from './labelled-doc.js';
import { readLines } from './read-lines.js';
import { severityFromWord } from './severity-label.js';

/**
 * One line of a labelled JSON lines file: `text` plus a label under `label`
 * or `severity` (CRITICAL, HIGH, MEDIUM, LOW, NONE or a class name, any case),
 * and optionally `id`, `source`, `published`, `cwes`.
 */
export const LabelledLineSchema = Type.Object({
  text: Type.String({ minLength: 1 }),
  label: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  severity: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  id: Type.Optional(Type.String({ minLength: 1 })),
  source: Type.Optional(Type.String()),
  published: Type.Optional(Type.String()),
  cwes: Type.Optional(Type.Array(Type.String({ pattern: '^CWE-[0-9]+$' }))),
});

const checker = recordChecker(LabelledLineSchema);

/** Converts one parsed line; `where` becomes the id when the line has none. */
export function labelledLineToDoc(
  raw: unknown,
  where: string,
): { doc: LabelledDoc } | { reason: string; id?: string } {
  const checked = checker.check(raw);
  if (!checked.ok) return { reason: checked.reason };
  const l = checked.value;
  const text = l.text.trim();
  if (text === '') return { reason: 'text is blank', ...(l.id ? { id: l.id } : {}) };
  const word = l.severity ?? l.label ?? undefined;
  const label = word === undefined || word === null ? undefined : severityFromWord(word);
  if (word !== undefined && word !== null && label === undefined) {
    return { reason: `unknown severity "${word}"`, ...(l.id ? { id: l.id } : {}) };
  }
  const published = normaliseTimestamp(l.published);
  if (l.published !== undefined && published === undefined) {
    return { reason: `published "${l.published}" is not a timestamp`, ...(l.id ? { id: l.id } : {}) };
  }
  const doc: LabelledDoc = {
    id: l.id ?? where,
    text,
    labelSource: label ? 'given' : 'none',
    cwes: l.cwes ?? [],
    format: 'jsonl',
    ...(label ? { label } : {}),
    ...(l.source === undefined || l.source === '' ? {} : { source: l.source }),
    ...(published === undefined ? {} : { published }),
  };
  return { doc };
}

/** Imports a JSON lines file (gzip allowed) of `{text, label|severity, ...}` objects. */
export async function* importLabelledJsonl(
  path: string,
  options: ImportOptions = {},
): AsyncGenerator<LabelledDoc> {
  for await (const { line, text } of readLines(path, options)) {
    const where = `${path}:${line}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      options.onSkip?.({ where, reason: `line is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const out = labelledLineToDoc(raw, where);
    if ('doc' in out) yield out.doc;
    else options.onSkip?.({ where, reason: out.reason, ...(out.id === undefined ? {} : { id: out.id }) });
  }
}
