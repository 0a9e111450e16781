import { join } from 'node:path';
import {
  type ImportProgress,
  importCve5,
  importTramAnnotatedReports,
  type LabelledDoc,
  SEVERITY_CLASSES,
  type SkippedRecord,
} from '../../ingest/index.js';
import { createRng, shuffleInPlace } from '../rng.js';
import { type DedupReport, dedupSplit, duplicateKey } from './dedup.js';
import { splitByTime } from './split.js';
import {
  informationalVotes,
  LABELLING_FUNCTIONS,
  type LfMeasurement,
  measureLabellingFunctions,
} from './weak-labels.js';

/** Where the public data files of the severity task live, relative to the data folder. */
export const SEVERITY_DATA_FILES = Object.freeze({
  cve: 'cve/vulnrichment-cve5.jsonl.gz',
  tramReports: 'tram/annotated-reports.jsonl.gz',
});

/** Options of {@link loadSeverityCorpus}. */
export interface CorpusOptions {
  /** Most weakly labelled informational sentences added to train (0 turns weak supervision off). Default 1500. */
  maxWeakInformational?: number;
  /** Seed of the weak-example sample. */
  seed: number;
  onSkip?: (s: SkippedRecord) => void;
  onProgress?: (what: string, p: ImportProgress) => void;
}

/** What went into the corpus, for the manifest and the data card. */
export interface CorpusReport {
  files: string[];
  imported: number;
  skipped: number;
  /** Skip counts by reason. */
  skipReasons: Record<string, number>;
  unlabelled: number;
  /** Labelled records without a publication date (cannot be placed in the time split). */
  unplaced: number;
  dedup: DedupReport;
  /** Coverage and precision of each labelling function on the labelled sets. */
  labellingFunctions: LfMeasurement[];
  weakInformational: number;
  /** Example counts by split and class, and by split and label source. */
  counts: Record<string, number>;
}

/** The labelled examples by split, ready for training and evaluation. */
export interface SeverityCorpus {
  train: LabelledDoc[];
  validation: LabelledDoc[];
  test: LabelledDoc[];
  report: CorpusReport;
}

/**
 * Builds the severity corpus from the public data folder: imports the CVE
 * records, keeps the labelled ones, applies the fixed time split and the
 * duplicate removal, and adds weakly labelled informational sentences from
 * TRAM's annotated reports to train (sentences with no technique annotation
 * on which a labelling function votes informational). Validation and test hold
 * CVE-labelled records only.
 */
export async function loadSeverityCorpus(dataDir: string, options: CorpusOptions): Promise<SeverityCorpus> {
  const skipReasons: Record<string, number> = {};
  const onSkip = (s: SkippedRecord) => {
    const reason = s.reason.replace(/:.*$/, '');
    skipReasons[reason] = (skipReasons[reason] ?? 0) + 1;
    options.onSkip?.(s);
  };
  const cvePath = join(dataDir, SEVERITY_DATA_FILES.cve);
  const labelled: LabelledDoc[] = [];
  let imported = 0;
  let unlabelled = 0;
  for await (const d of importCve5(cvePath, {
    onSkip,
    onProgress: (p) => options.onProgress?.('CVE records', p),
  })) {
    imported++;
    if (d.label) labelled.push(d);
    else unlabelled++;
  }
  const byTime = splitByTime(labelled);
  const { split, report: dedup } = dedupSplit(byTime);

  // Weak supervision for the informational class.
  const maxWeak = options.maxWeakInformational ?? 1500;
  const tramPath = join(dataDir, SEVERITY_DATA_FILES.tramReports);
  const sentences: { id: string; text: string; techniques: string[] }[] = [];
  const files = [cvePath];
  if (maxWeak > 0) {
    files.push(tramPath);
    for await (const s of importTramAnnotatedReports(tramPath, {
      onSkip,
      onProgress: (p) => options.onProgress?.('TRAM reports', p),
    })) {
      sentences.push(s);
    }
  }
  const measured = [
    ...measureLabellingFunctions(
      'tram-annotated-sentences (gold: no technique annotated)',
      sentences.map((s) => ({ text: s.text, isInformational: s.techniques.length === 0 })),
    ),
    ...measureLabellingFunctions(
      'cve-train+validation (gold: CVSS NONE)',
      [...split.train, ...split.validation].map((d) => ({
        text: d.text,
        isInformational: d.label === 'informational',
      })),
    ),
  ];
  const seen = new Set([...split.train, ...split.validation, ...split.test].map((d) => duplicateKey(d.text)));
  const weakPool: LabelledDoc[] = [];
  for (const s of sentences) {
    if (s.techniques.length > 0) continue;
    const votes = informationalVotes(s.text);
    const key = duplicateKey(s.text);
    if (votes.length === 0 || seen.has(key)) continue;
    seen.add(key);
    weakPool.push({
      id: `tram:${s.id}`,
      text: s.text,
      label: 'informational',
      labelSource: `weak:${votes.join('+')}`,
      labelDetail: 'TRAM annotated report sentence with no technique annotation',
      cwes: [],
      format: 'tram',
    });
  }
  const weak = shuffleInPlace(weakPool, createRng(options.seed)).slice(0, maxWeak);
  const train = [...split.train, ...weak];

  const counts: Record<string, number> = {};
  const bump = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const [name, docs] of [
    ['train', train],
    ['validation', split.validation],
    ['test', split.test],
  ] as const) {
    counts[name] = docs.length;
    for (const d of docs) {
      bump(`${name}.${d.label}`);
      bump(`${name}.source.${d.labelSource.startsWith('weak:') ? 'weak' : d.labelSource}`);
    }
  }
  for (const c of SEVERITY_CLASSES)
    for (const n of ['train', 'validation', 'test']) counts[`${n}.${c}`] ??= 0;
  return {
    train,
    validation: split.validation,
    test: split.test,
    report: {
      files,
      imported,
      skipped: Object.values(skipReasons).reduce((a, b) => a + b, 0),
      skipReasons,
      unlabelled,
      unplaced: byTime.unplaced.length,
      dedup,
      labellingFunctions: measured,
      weakInformational: weak.length,
      counts,
    },
  };
}

/** The labelling functions' names and descriptions, for reports. */
export const LABELLING_FUNCTION_DESCRIPTIONS = Object.freeze(
  LABELLING_FUNCTIONS.map((lf) => ({ name: lf.name, description: lf.description })),
);
