import type { LabelledDoc, SeverityClass } from '../../ingest/index.js';
import { SEVERITY_CLASSES } from '../../ingest/index.js';
import type { SplitDocs } from './split.js';

/** The key two texts are duplicates under: lower case, whitespace collapsed, trimmed. */
export function duplicateKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What deduplication removed. */
export interface DedupReport {
  /** Training texts dropped because the same text is in validation or test. */
  trainInLaterSplits: number;
  /** Validation texts dropped because the same text is in test. */
  validationInTest: number;
  /** Training duplicates merged into one example each. */
  trainDuplicatesMerged: number;
  /** Training texts dropped because their copies carried different labels with no majority. */
  trainConflictsDropped: number;
}

/**
 * Removes duplicate texts across the split so that no evaluation text was
 * seen in training: training texts that also occur in validation or test are
 * dropped, and validation texts that also occur in test. The test part is left
 * whole (so its figures stay comparable with the reference). Within train,
 * copies are merged into one example with the majority label; copies with tied
 * labels are dropped. Returns new arrays; the input is not changed.
 */
export function dedupSplit(split: SplitDocs): { split: SplitDocs; report: DedupReport } {
  const testKeys = new Set(split.test.map((d) => duplicateKey(d.text)));
  const validation = split.validation.filter((d) => !testKeys.has(duplicateKey(d.text)));
  const laterKeys = new Set([...testKeys, ...validation.map((d) => duplicateKey(d.text))]);
  const report: DedupReport = {
    trainInLaterSplits: 0,
    validationInTest: split.validation.length - validation.length,
    trainDuplicatesMerged: 0,
    trainConflictsDropped: 0,
  };
  const groups = new Map<string, LabelledDoc[]>();
  for (const d of split.train) {
    const key = duplicateKey(d.text);
    if (laterKeys.has(key)) {
      report.trainInLaterSplits++;
      continue;
    }
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const train: LabelledDoc[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      train.push(g[0] as LabelledDoc);
      continue;
    }
    const votes = new Map<SeverityClass, number>();
    for (const d of g) if (d.label) votes.set(d.label, (votes.get(d.label) ?? 0) + 1);
    const ranked = [...votes.entries()].sort(
      (a, b) => b[1] - a[1] || SEVERITY_CLASSES.indexOf(a[0]) - SEVERITY_CLASSES.indexOf(b[0]),
    );
    const top = ranked[0];
    const second = ranked[1];
    if (top && second && top[1] === second[1]) {
      report.trainConflictsDropped += g.length;
      continue;
    }
    // Keep the latest copy carrying the majority label (or the latest if unlabelled).
    const keep = [...g].reverse().find((d) => top === undefined || d.label === top[0]) as LabelledDoc;
    train.push(keep);
    report.trainDuplicatesMerged += g.length - 1;
  }
  return { split: { train, validation, test: split.test, unplaced: split.unplaced }, report };
}
