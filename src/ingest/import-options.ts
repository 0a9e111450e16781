import type { SkippedRecord } from './labelled-doc.js';

/** Progress of a long import: how much of the input has been consumed. */
export interface ImportProgress {
  /** Amount consumed so far, in `unit`. */
  done: number;
  /** Total amount, in `unit`; 0 when unknown. */
  total: number;
  unit: 'bytes' | 'files';
}

/** Callbacks every importer accepts. */
export interface ImportOptions {
  /** Called once for every record that is skipped, with the reason. Default: ignore. */
  onSkip?: (skipped: SkippedRecord) => void;
  /** Called now and then (at most every 64 KiB or 100 files) while reading. */
  onProgress?: (progress: ImportProgress) => void;
}
