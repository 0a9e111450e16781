import Type from 'typebox';
import { recordChecker } from './checker.js';
import { firstEnglish, normaliseTimestamp } from './cve5-record.js';
import { type CvssV3, parseCvssVector } from './cvss.js';
import type { ImportOptions } from './import-options.js';
import type { LabelledDoc, LabelSource } from './labelled-doc.js';
import { severityFromWord } from './severity-label.js';
import { streamJsonArray } from './stream-array.js';

const CvssMetric = Type.Object({
  source: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  cvssData: Type.Object({
    version: Type.Optional(Type.String()),
    vectorString: Type.Optional(Type.String()),
    baseScore: Type.Optional(Type.Number()),
    baseSeverity: Type.Optional(Type.String()),
  }),
});

/** The part of one NVD CVE API 2.0 `vulnerabilities[]` element the importer reads. */
export const NvdVulnerabilitySchema = Type.Object({
  cve: Type.Object({
    id: Type.String({ pattern: '^CVE-[0-9]{4}-[0-9]{4,}$' }),
    sourceIdentifier: Type.Optional(Type.String()),
    published: Type.Optional(Type.String()),
    vulnStatus: Type.Optional(Type.String()),
    descriptions: Type.Optional(Type.Array(Type.Object({ lang: Type.String(), value: Type.String() }))),
    metrics: Type.Optional(
      Type.Object({
        cvssMetricV31: Type.Optional(Type.Array(CvssMetric)),
        cvssMetricV30: Type.Optional(Type.Array(CvssMetric)),
      }),
    ),
    weaknesses: Type.Optional(
      Type.Array(
        Type.Object({
          source: Type.Optional(Type.String()),
          description: Type.Array(Type.Object({ lang: Type.String(), value: Type.String() })),
        }),
      ),
    ),
  }),
});

const checker = recordChecker(NvdVulnerabilitySchema);

/**
 * Converts one NVD API 2.0 vulnerability to a {@link LabelledDoc}. Label: the
 * first CVSS v3.1 (else v3.0) metric whose source is the CNA (the record's
 * `sourceIdentifier`), matching the CVE-record rule "the CNA's score first";
 * else NVD's `Primary` metric; else the first one. CWEs: the CNA's weaknesses,
 * else NVD's, without the `NVD-CWE-*` placeholders. `source` is NVD's
 * `sourceIdentifier` (an e-mail or UUID, not a CNA short name).
 */
export function nvdToDoc(raw: unknown): { doc: LabelledDoc } | { reason: string; id?: string } {
  const checked = checker.check(raw);
  if (!checked.ok) return { reason: checked.reason };
  const cve = checked.value.cve;
  if (cve.vulnStatus === 'Rejected') return { id: cve.id, reason: 'record status is Rejected' };
  const text = firstEnglish(cve.descriptions);
  if (text === undefined) return { id: cve.id, reason: 'no English description' };
  const cna = cve.sourceIdentifier;
  let label: LabelledDoc['label'];
  let labelSource: LabelSource = 'none';
  let cvss: CvssV3 | undefined;
  for (const [key, version] of [
    ['cvssMetricV31', '3.1'],
    ['cvssMetricV30', '3.0'],
  ] as const) {
    const metrics = (cve.metrics?.[key] ?? []).filter(
      (m) => severityFromWord(m.cvssData.baseSeverity ?? '') !== undefined,
    );
    const chosen =
      metrics.find((m) => cna !== undefined && m.source === cna) ??
      metrics.find((m) => m.type === 'Primary') ??
      metrics[0];
    if (!chosen) continue;
    label = severityFromWord(chosen.cvssData.baseSeverity ?? '');
    labelSource = cna !== undefined && chosen.source === cna ? 'cvss-cna-via-nvd' : 'cvss-nvd';
    const vector = chosen.cvssData.vectorString ?? '';
    const parsed = parseCvssVector(vector);
    cvss = {
      version,
      vector,
      baseScore: chosen.cvssData.baseScore ?? Number.NaN,
      ...(parsed ? { metrics: parsed } : {}),
    };
    break;
  }
  const weaknesses = cve.weaknesses ?? [];
  const own = weaknesses.filter((w) => cna !== undefined && w.source === cna);
  const cwes = new Set<string>();
  for (const w of own.length > 0 ? own : weaknesses) {
    for (const d of w.description) if (/^CWE-\d+$/.test(d.value)) cwes.add(d.value);
  }
  const published = normaliseTimestamp(cve.published);
  const doc: LabelledDoc = {
    id: cve.id,
    text,
    labelSource: label ? labelSource : 'none',
    cwes: [...cwes],
    format: 'nvd2',
    ...(label && cvss
      ? {
          label,
          cvss,
          labelDetail: `${cvss.version} metric from ${labelSource === 'cvss-nvd' ? 'NVD' : cna}`,
        }
      : {}),
    ...(cna === undefined ? {} : { source: cna }),
    ...(published === undefined ? {} : { published }),
  };
  return { doc };
}

/**
 * Imports an NVD CVE API 2.0 response or feed file (`{"vulnerabilities": [...]}`,
 * gzip allowed), streaming the array so big yearly feeds use constant memory.
 */
export async function* importNvd2(path: string, options: ImportOptions = {}): AsyncGenerator<LabelledDoc> {
  for await (const { index, value } of streamJsonArray(path, 'vulnerabilities', options)) {
    const out = nvdToDoc(value);
    if ('doc' in out) yield out.doc;
    else
      options.onSkip?.({
        where: `${path}#vulnerabilities[${index}]`,
        reason: out.reason,
        ...(out.id === undefined ? {} : { id: out.id }),
      });
  }
}
