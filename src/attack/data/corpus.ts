import { splitSentences } from '../sentences.js';
import { parentTechnique } from '../technique-id.js';
import type { AttackCatalogue } from './attack-bundle.js';
import type { AnnotatedReport, BootstrapSentence, SingleLabelSentence } from './tram.js';

/**
 * Turns the TRAM files and ATT&CK procedure examples into labelled text units,
 * each tied to the report it comes from (or to none), in one label space.
 */

/** Where a unit comes from. */
export type UnitSource =
  | 'tram-span'
  | 'report-sentence'
  | 'bootstrap'
  | 'attack-procedure'
  | 'attack-description';

/**
 * A labelled piece of text.
 * - `techniques`: ids in the label space; empty for a sentence that describes no technique.
 * - `outside`: describes a technique, but none in the label space (never used as a negative
 *   of the evaluation; training may use it as "none of ours").
 * - `report`: id of the annotated report the text belongs to; null when no report is known.
 */
export interface LabelledUnit {
  text: string;
  techniques: string[];
  outside: boolean;
  report: string | null;
  source: UnitSource;
}

/** All units and the label space. */
export interface TechniqueCorpus {
  /** The technique ids the model predicts, sorted: those TRAM's single-label data names. */
  labels: string[];
  /** Ids of the annotated reports, in file order. */
  reports: string[];
  /** ATT&CK names of the labels and their parents ("Parent: Sub" for sub-techniques). */
  names: Record<string, string>;
  units: LabelledUnit[];
}

/** Lower-cases and collapses white space and trailing punctuation, for duplicate detection. */
export function normalizeForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.,;:!?]+$/, '')
    .trim();
}

function titleKey(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Maps an id to the label space: itself, else its parent, else null (outside). */
export function toLabelSpace(id: string, labels: ReadonlySet<string>): string | null {
  if (labels.has(id)) return id;
  const parent = parentTechnique(id);
  return labels.has(parent) ? parent : null;
}

function mapIds(ids: Iterable<string>, labels: ReadonlySet<string>): { inSpace: string[]; outside: boolean } {
  const inSpace = new Set<string>();
  let outside = false;
  for (const id of ids) {
    const m = toLabelSpace(id, labels);
    if (m === null) outside = true;
    else inSpace.add(m);
  }
  return { inSpace: [...inSpace].sort(), outside: outside && inSpace.size === 0 };
}

/** The inputs of {@link buildCorpus}, as the readers return them. */
export interface CorpusSources {
  singleLabel: SingleLabelSentence[];
  bootstrap: BootstrapSentence[];
  reports: AnnotatedReport[];
  catalogue: AttackCatalogue;
}

/**
 * Builds the units:
 * - `tram-span`: TRAM's single-label sentences (analyst spans), merged per report when one
 *   span carries several techniques; the report is found by title;
 * - `report-sentence`: every sentence of every annotated report (our splitter), labelled with
 *   the techniques of the spans it overlaps; sentences overlapping no span are the negatives;
 * - `bootstrap`: TRAM's bootstrap sentences; one found verbatim in a report (as a span or inside
 *   its text) belongs to that report, the others to none;
 * - `attack-procedure`: ATT&CK procedure examples, merged by text; they belong to no report;
 * - `attack-description`: the sentences of ATT&CK's technique descriptions (a sub-technique's
 *   count for its parent where only the parent is a label); they belong to no report.
 */
export function buildCorpus(sources: CorpusSources): TechniqueCorpus {
  const labelSet = new Set(sources.singleLabel.map((s) => s.technique));
  const labels = [...labelSet].sort();
  const units: LabelledUnit[] = [];

  const reportByTitle = new Map(sources.reports.map((r) => [titleKey(r.title), r.id]));
  const findReport = (title: string): string | null => {
    const key = titleKey(title);
    const exact = reportByTitle.get(key);
    if (exact !== undefined) return exact;
    for (const [k, id] of reportByTitle) if (k.includes(key) || key.includes(k)) return id;
    return null;
  };

  // TRAM spans, merged by (report, text).
  const spanUnits = new Map<string, LabelledUnit>();
  const reportOfText = new Map<string, string | null>();
  for (const s of sources.singleLabel) {
    const report = findReport(s.docTitle);
    const key = `${report}\u0000${s.text}`;
    const unit = spanUnits.get(key);
    if (unit === undefined) {
      spanUnits.set(key, {
        text: s.text,
        techniques: [s.technique],
        outside: false,
        report,
        source: 'tram-span',
      });
    } else if (!unit.techniques.includes(s.technique)) {
      unit.techniques.push(s.technique);
      unit.techniques.sort();
    }
    reportOfText.set(normalizeForMatch(s.text), report);
  }
  units.push(...spanUnits.values());

  // Every sentence of every annotated report.
  for (const report of sources.reports) {
    for (const sentence of splitSentences(report.text)) {
      const ids: string[] = [];
      let unnamed = false;
      for (const span of report.spans) {
        if (span.start >= sentence.end) break;
        if (span.end <= sentence.start) continue;
        if (span.technique === null) unnamed = true;
        else ids.push(span.technique);
      }
      const mapped = mapIds(ids, labelSet);
      units.push({
        text: sentence.text,
        techniques: mapped.inSpace,
        outside: mapped.outside || (unnamed && mapped.inSpace.length === 0),
        report: report.id,
        source: 'report-sentence',
      });
    }
  }

  // Bootstrap sentences, tied to a report when their text is found in one.
  const reportTexts = sources.reports.map((r) => ({ id: r.id, text: normalizeForMatch(r.text) }));
  for (const b of sources.bootstrap) {
    const key = normalizeForMatch(b.text);
    if (key === '') continue;
    let report = reportOfText.get(key) ?? null;
    if (report === null && key.length >= 20)
      report = reportTexts.find((r) => r.text.includes(key))?.id ?? null;
    const mapped = mapIds(b.techniques, labelSet);
    units.push({
      text: b.text,
      techniques: mapped.inSpace,
      outside: mapped.outside,
      report,
      source: 'bootstrap',
    });
  }

  // ATT&CK procedure examples, merged by text (one description may serve several techniques).
  const procedures = new Map<string, { text: string; ids: Set<string> }>();
  for (const p of sources.catalogue.procedures) {
    const key = normalizeForMatch(p.text);
    const entry = procedures.get(key) ?? { text: p.text, ids: new Set<string>() };
    entry.ids.add(p.technique);
    procedures.set(key, entry);
  }
  for (const { text, ids } of procedures.values()) {
    const mapped = mapIds(ids, labelSet);
    units.push({
      text,
      techniques: mapped.inSpace,
      outside: mapped.outside,
      report: null,
      source: 'attack-procedure',
    });
  }

  for (const d of sources.catalogue.descriptions) {
    const mapped = mapIds([d.technique], labelSet);
    for (const sentence of splitSentences(d.text)) {
      units.push({
        text: sentence.text,
        techniques: mapped.inSpace,
        outside: mapped.outside,
        report: null,
        source: 'attack-description',
      });
    }
  }

  const names: Record<string, string> = {};
  const attackNames = sources.catalogue.names;
  for (const id of labels.flatMap((l) => [l, parentTechnique(l)])) {
    const own = attackNames.get(id) ?? sources.catalogue.staleNames.get(id);
    if (own === undefined) continue;
    const parent = parentTechnique(id);
    const parentName = parent === id ? undefined : attackNames.get(parent);
    names[id] = parentName === undefined ? own : `${parentName}: ${own}`;
  }
  return { labels, reports: sources.reports.map((r) => r.id), units, names };
}
