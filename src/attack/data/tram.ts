import Type from 'typebox';
import { validate } from '../../core/index.js';
import { isTechniqueId } from '../technique-id.js';
import { readJsonFile, readJsonLinesFile } from './read-json.js';

/**
 * Readers of MITRE TRAM's published training data (Apache-2.0):
 * `single_label.json`, `bootstrap-training-data.json` and the annotated reports (`.mjson`).
 */

const SingleLabelSchema = Type.Array(
  Type.Object({ text: Type.String(), label: Type.String(), doc_title: Type.String() }),
);

/** One sentence of `single_label.json`: a span an analyst tied to one technique, and its report title. */
export interface SingleLabelSentence {
  text: string;
  technique: string;
  docTitle: string;
}

/** Reads `single_label.json(.gz)`; entries whose label is not a technique id are dropped. */
export function readSingleLabel(path: string): SingleLabelSentence[] {
  const rows = validate(SingleLabelSchema, readJsonFile(path), path, 'CS_ERR_ARTEFACT_INVALID');
  return rows
    .filter((r) => isTechniqueId(r.label))
    .map((r) => ({ text: r.text, technique: r.label, docTitle: r.doc_title }));
}

const BootstrapSchema = Type.Object({
  sentences: Type.Array(
    Type.Object({
      text: Type.String(),
      mappings: Type.Array(Type.Object({ attack_id: Type.String() })),
    }),
  ),
});

/** A sentence of TRAM's bootstrap data with its technique ids (no report is named). */
export interface BootstrapSentence {
  text: string;
  techniques: string[];
}

/** Reads `bootstrap-training-data.json(.gz)` (TRAM report JSON). */
export function readBootstrap(path: string): BootstrapSentence[] {
  const doc = validate(BootstrapSchema, readJsonFile(path), path, 'CS_ERR_ARTEFACT_INVALID');
  return doc.sentences.map((s) => ({
    text: s.text,
    techniques: [...new Set(s.mappings.map((m) => m.attack_id).filter(isTechniqueId))],
  }));
}

const AnnotatedLineSchema = Type.Object({
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

/** An analyst's span annotation. `technique` is null for spans of unknown or unnamed techniques. */
export interface ReportSpan {
  start: number;
  end: number;
  technique: string | null;
}

/** One annotated report: its file name (the report id), title, full text and spans. */
export interface AnnotatedReport {
  id: string;
  title: string;
  text: string;
  spans: ReportSpan[];
}

// Annotation set names look like "Process Injection (T1055)"; "[OTHER]" carries the id as an attribute.
const TYPE_ID = /\((T\d{4}(?:\.\d{3})?)\)\s*$/;
const NON_TECHNIQUE_SETS = new Set(['zone', 'lex', 'SEGMENT']);

/** Reads `annotated-reports.jsonl(.gz)`: one `{file, report}` per line, `report` in TRAM's `.mjson` format. */
export function readAnnotatedReports(path: string): AnnotatedReport[] {
  return readJsonLinesFile(path).map((raw, i) => {
    const line = validate(AnnotatedLineSchema, raw, `${path} line ${i + 1}`, 'CS_ERR_ARTEFACT_INVALID');
    const text = line.report.signal;
    const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')));
    const title = firstLine.startsWith('title:') ? firstLine.slice('title:'.length).trim() : line.file;
    const spans: ReportSpan[] = [];
    for (const set of line.report.asets) {
      if (NON_TECHNIQUE_SETS.has(set.type)) continue;
      const named = TYPE_ID.exec(set.type)?.[1] ?? null;
      for (const a of set.annots) {
        const [start, end, attr] = a;
        if (typeof start !== 'number' || typeof end !== 'number' || end <= start || end > text.length)
          continue;
        const fromAttr = typeof attr === 'string' && isTechniqueId(attr.trim()) ? attr.trim() : null;
        spans.push({ start, end, technique: named ?? fromAttr });
      }
    }
    spans.sort((a, b) => a.start - b.start || a.end - b.end);
    return { id: line.file, title, text, spans };
  });
}
