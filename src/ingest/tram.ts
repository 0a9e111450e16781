import Type from 'typebox';
import { recordChecker } from './checker.js';
import type { ImportOptions } from './import-options.js';
import { readLines } from './read-lines.js';

/** One sentence of an annotated threat report, with the ATT&CK techniques annotated on it. */
export interface ReportSentence {
  /** `<report file>#<sentence index>` */
  id: string;
  text: string;
  /** Technique ids (`T1059.003`) whose annotated spans overlap the sentence; empty when none. */
  techniques: string[];
  /** The report's file name. */
  report: string;
}

/** One line of TRAM's annotated reports file: `{file, report}` where `report` is a `.mjson` document. */
export const TramAnnotatedLineSchema = Type.Object({
  file: Type.String(),
  report: Type.Object({
    signal: Type.String(),
    asets: Type.Array(
      Type.Object({
        type: Type.String(),
        annots: Type.Array(Type.Array(Type.Unknown())),
      }),
    ),
  }),
});

const checker = recordChecker(TramAnnotatedLineSchema);
const TECHNIQUE_RE = /\((T\d{4}(?:\.\d{3})?)\)\s*$/;

/**
 * Splits report text into sentences: at line breaks, and after `.`, `!` or `?`
 * followed by white space and an upper-case letter or digit. Returns
 * [start, end) offsets of trimmed, non-empty sentences.
 */
export function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /[^\n]+/g;
  for (const line of text.matchAll(re)) {
    const base = line.index ?? 0;
    const s = line[0];
    let start = 0;
    const boundary = /[.!?]["')\]]?\s+(?=[A-Z0-9])/g;
    for (const b of s.matchAll(boundary)) {
      const end = (b.index ?? 0) + b[0].trimEnd().length;
      pushTrimmed(spans, text, base + start, base + end);
      start = (b.index ?? 0) + b[0].length;
    }
    pushTrimmed(spans, text, base + start, base + s.length);
  }
  return spans;
}

function pushTrimmed(spans: [number, number][], text: string, start: number, end: number): void {
  let a = start;
  let b = end;
  while (a < b && /\s/.test(text[a] as string)) a++;
  while (b > a && /\s/.test(text[b - 1] as string)) b--;
  if (b > a) spans.push([a, b]);
}

/**
 * Reads TRAM's annotated reports (`annotated-reports.jsonl.gz`: one
 * `{file, report}` per line) and yields every sentence with the techniques
 * whose annotated spans overlap it. Annotation sets are recognised by a type
 * ending in `(Txxxx)` or `(Txxxx.yyy)`. Bad lines are reported and skipped.
 */
export async function* importTramAnnotatedReports(
  path: string,
  options: ImportOptions = {},
): AsyncGenerator<ReportSentence> {
  for await (const { line, text } of readLines(path, options)) {
    const where = `${path}:${line}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      options.onSkip?.({ where, reason: `line is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const checked = checker.check(raw);
    if (!checked.ok) {
      options.onSkip?.({ where, reason: checked.reason });
      continue;
    }
    const { file, report } = checked.value;
    const spans: { start: number; end: number; technique: string }[] = [];
    for (const set of report.asets) {
      const technique = TECHNIQUE_RE.exec(set.type)?.[1];
      if (technique === undefined) continue;
      for (const a of set.annots) {
        const [start, end] = a;
        if (typeof start === 'number' && typeof end === 'number') spans.push({ start, end, technique });
      }
    }
    let i = 0;
    for (const [start, end] of sentenceSpans(report.signal)) {
      const techniques = [
        ...new Set(spans.filter((s) => s.start < end && s.end > start).map((s) => s.technique)),
      ];
      yield { id: `${file}#${i}`, text: report.signal.slice(start, end), techniques, report: file };
      i++;
    }
  }
}
