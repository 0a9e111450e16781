export { type RecordChecker, recordChecker } from './checker.js';
export { importCve5 } from './cve5-import.js';
export {
  type Cve5Record,
  Cve5RecordSchema,
  cve5ToDoc,
  firstEnglish,
  normaliseTimestamp,
} from './cve5-record.js';
export {
  CVSS_METRIC_NAMES,
  CVSS_METRICS,
  type CvssBaseMetrics,
  type CvssMetric,
  type CvssV3,
  cvssBaseScore,
  cvssRoundup,
  parseCvssVector,
} from './cvss.js';
export {
  collect,
  detectFormat,
  IMPORT_FORMATS,
  type ImportFormat,
  importDocuments,
} from './import-documents.js';
export type { ImportOptions, ImportProgress } from './import-options.js';
export { type JsonRecord, readCveTree, readJsonRecords, readWholeJson } from './json-records.js';
export { importLabelledJsonl, LabelledLineSchema, labelledLineToDoc } from './jsonl-labelled.js';
export type { DocFormat, LabelledDoc, LabelSource, SkippedRecord } from './labelled-doc.js';
export { importNvd2, NvdVulnerabilitySchema, nvdToDoc } from './nvd2.js';
export { type ProgressDisplay, type ProgressSink, startProgress } from './progress.js';
export { isGzipFile, type NumberedLine, openText, readLines } from './read-lines.js';
export {
  SEVERITY_CLASS_COUNT,
  SEVERITY_CLASSES,
  type SeverityClass,
  severityFromScore,
  severityFromWord,
  severityIndex,
} from './severity-label.js';
export {
  DEFAULT_STIX_TYPES,
  importStix21,
  type StixImportOptions,
  StixObjectSchema,
  stixToDoc,
} from './stix21.js';
export { streamJsonArray } from './stream-array.js';
export {
  importTramAnnotatedReports,
  type ReportSentence,
  sentenceSpans,
  TramAnnotatedLineSchema,
} from './tram.js';
