import type { CvssV3 } from './cvss.js';
import type { SeverityClass } from './severity-label.js';

/** Which importer produced a document. */
export type DocFormat = 'cve5' | 'nvd2' | 'stix21' | 'jsonl' | 'tram';

/**
 * Where a label came from. `cvss-cna` / `cvss-adp`: the CVSS v3 base severity
 * of the CNA or an ADP container (CVE JSON 5); `cvss-nvd` / `cvss-cna-via-nvd`:
 * NVD API's primary score or the CNA's score as NVD carries it; `given`: the
 * label field of a labelled JSON lines file; `weak:<function>`: a labelling
 * function of the weak-supervision step; `none`: unlabelled.
 */
export type LabelSource =
  | 'cvss-cna'
  | 'cvss-adp'
  | 'cvss-nvd'
  | 'cvss-cna-via-nvd'
  | 'given'
  | `weak:${string}`
  | 'none';

/** One text with what is known about it, as every importer yields it. */
export interface LabelledDoc {
  /** Stable id: the CVE id, the STIX id, or `<file>:<line>` for anonymous lines. */
  id: string;
  /** The text to learn from or score. */
  text: string;
  /** The severity class, when known. */
  label?: SeverityClass;
  /** Where `label` came from; `none` when there is no label. */
  labelSource: LabelSource;
  /** Free detail on the label's origin, e.g. `cvssV3_1 of CISA-ADP`. */
  labelDetail?: string;
  /** The CVSS v3 vector behind the label, when the label came from one. */
  cvss?: CvssV3;
  /** The publisher: CNA short name for CVE records, `source` field otherwise. */
  source?: string;
  /** Publication time, ISO 8601 UTC. */
  published?: string;
  /** CWE ids the publisher attached (CNA container only for CVE records), e.g. `CWE-79`. */
  cwes: string[];
  /** The importer that read it. */
  format: DocFormat;
}

/** A record an importer could not use, and why. Importers report each and go on. */
export interface SkippedRecord {
  /** Where: `<file>:<line>` or `<file>#<index>`. */
  where: string;
  /** The record's id when it could be read. */
  id?: string;
  /** Why it was skipped, one short sentence. */
  reason: string;
}
