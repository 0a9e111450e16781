import Type, { type Static } from 'typebox';
import { recordChecker } from './checker.js';
import { type CvssV3, parseCvssVector } from './cvss.js';
import type { LabelledDoc } from './labelled-doc.js';
import { severityFromWord } from './severity-label.js';

const LangValue = Type.Object({ lang: Type.String(), value: Type.String() });
const CvssJson = Type.Object({
  vectorString: Type.Optional(Type.String()),
  baseScore: Type.Optional(Type.Number()),
  baseSeverity: Type.Optional(Type.String()),
});
const Container = Type.Object({
  descriptions: Type.Optional(Type.Array(LangValue)),
  metrics: Type.Optional(
    Type.Array(Type.Object({ cvssV3_1: Type.Optional(CvssJson), cvssV3_0: Type.Optional(CvssJson) })),
  ),
  problemTypes: Type.Optional(
    Type.Array(
      Type.Object({
        descriptions: Type.Optional(
          Type.Array(
            Type.Object({ cweId: Type.Optional(Type.String()), description: Type.Optional(Type.String()) }),
          ),
        ),
      }),
    ),
  ),
  providerMetadata: Type.Optional(Type.Object({ shortName: Type.Optional(Type.String()) })),
});

/**
 * The part of a CVE JSON 5.x record (cve-schema `CVE_Record_Format`) the
 * importer reads. Other fields may be present and are ignored.
 */
export const Cve5RecordSchema = Type.Object({
  cveMetadata: Type.Object({
    cveId: Type.String({ pattern: '^CVE-[0-9]{4}-[0-9]{4,}$' }),
    state: Type.String(),
    datePublished: Type.Optional(Type.String()),
    assignerShortName: Type.Optional(Type.String()),
  }),
  containers: Type.Object({ cna: Type.Optional(Container), adp: Type.Optional(Type.Array(Container)) }),
});

/** The subset of a CVE JSON 5 record the importer reads. */
export type Cve5Record = Static<typeof Cve5RecordSchema>;
type Cve5Container = Static<typeof Container>;

const checker = recordChecker(Cve5RecordSchema);

/** The first description whose language is English (`en`, `en-US`, ...), trimmed; undefined if none. */
export function firstEnglish(descriptions: readonly { lang: string; value: string }[] | undefined) {
  const found = descriptions?.find((d) => /^en([-_]|$)/i.test(d.lang) && d.value.trim() !== '');
  return found?.value.trim();
}

/** Normalises a timestamp to ISO 8601 UTC; timestamps without a zone are read as UTC. */
export function normaliseTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value);
  const ms = Date.parse(hasZone || !/T/.test(value) ? value : `${value}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

interface FoundSeverity {
  cvss: CvssV3;
  word: string;
  detail: string;
}

/** The first v3.1, else the first v3.0, metric of one container with a usable base severity. */
function containerSeverity(c: Cve5Container | undefined, owner: string): FoundSeverity | undefined {
  for (const key of ['cvssV3_1', 'cvssV3_0'] as const) {
    for (const metric of c?.metrics ?? []) {
      const m = metric[key];
      if (m?.baseSeverity === undefined || severityFromWord(m.baseSeverity) === undefined) continue;
      const vector = m.vectorString ?? '';
      const metrics = parseCvssVector(vector);
      return {
        word: m.baseSeverity,
        detail: `${key} of ${owner}`,
        cvss: {
          version: key === 'cvssV3_1' ? '3.1' : '3.0',
          vector,
          baseScore: m.baseScore ?? Number.NaN,
          ...(metrics ? { metrics } : {}),
        },
      };
    }
  }
  return undefined;
}

function cwesOf(c: Cve5Container | undefined): string[] {
  const out = new Set<string>();
  for (const p of c?.problemTypes ?? []) {
    for (const d of p.descriptions ?? []) {
      const id = d.cweId ?? /\bCWE-\d+\b/.exec(d.description ?? '')?.[0];
      if (id !== undefined && /^CWE-\d+$/.test(id)) out.add(id);
    }
  }
  return [...out];
}

/**
 * Converts one CVE JSON 5 record to a {@link LabelledDoc}, or explains why it
 * cannot be used. Label: the base severity of the first CVSS v3.1 (else v3.0)
 * metric of the CNA container, else of the first ADP container that has one;
 * text: the CNA's first English description; CWEs: the CNA's problem types
 * only (ADP containers add CWEs together with their scores, so using them
 * would leak the label's origin into the input).
 */
export function cve5ToDoc(raw: unknown): { doc: LabelledDoc } | { reason: string; id?: string } {
  const checked = checker.check(raw);
  if (!checked.ok) return { reason: checked.reason };
  const r = checked.value;
  const id = r.cveMetadata.cveId;
  if (r.cveMetadata.state !== 'PUBLISHED') return { id, reason: `record state is ${r.cveMetadata.state}` };
  const cna = r.containers.cna;
  const text = firstEnglish(cna?.descriptions);
  if (text === undefined) return { id, reason: 'no English description in the CNA container' };
  const source = r.cveMetadata.assignerShortName ?? cna?.providerMetadata?.shortName;
  const published = normaliseTimestamp(r.cveMetadata.datePublished);
  let found = containerSeverity(cna, 'CNA');
  let labelSource: LabelledDoc['labelSource'] = 'cvss-cna';
  if (!found) {
    labelSource = 'cvss-adp';
    for (const adp of r.containers.adp ?? []) {
      found = containerSeverity(adp, adp.providerMetadata?.shortName ?? 'ADP');
      if (found) break;
    }
  }
  const label = found ? severityFromWord(found.word) : undefined;
  const doc: LabelledDoc = {
    id,
    text,
    labelSource: label && found ? labelSource : 'none',
    cwes: cwesOf(cna),
    format: 'cve5',
    ...(label && found ? { label, labelDetail: found.detail, cvss: found.cvss } : {}),
    ...(source === undefined ? {} : { source }),
    ...(published === undefined ? {} : { published }),
  };
  return { doc };
}
