import type { LabelledDoc } from '../../ingest/index.js';

/** The three parts of the fixed evaluation split. */
export type SplitName = 'train' | 'validation' | 'test';

/**
 * The fixed time split of `../shared/data/README.md`, by publication month
 * (UTC): train up to and including 2024-05, validation 2024-06 and 2024-07,
 * test from 2024-08 on.
 */
export const FIXED_SPLIT = Object.freeze({ trainLastMonth: '2024-05', validationLastMonth: '2024-07' });

/** The part of the fixed split a publication time falls in; undefined when the time is missing or invalid. */
export function splitOf(published: string | undefined): SplitName | undefined {
  if (published === undefined) return undefined;
  const ms = Date.parse(published);
  if (!Number.isFinite(ms)) return undefined;
  const month = new Date(ms).toISOString().slice(0, 7);
  if (month <= FIXED_SPLIT.trainLastMonth) return 'train';
  if (month <= FIXED_SPLIT.validationLastMonth) return 'validation';
  return 'test';
}

/** Documents grouped by split, plus those that could not be placed (no publication time). */
export interface SplitDocs {
  train: LabelledDoc[];
  validation: LabelledDoc[];
  test: LabelledDoc[];
  unplaced: LabelledDoc[];
}

/** Groups documents by {@link splitOf}, keeping input order within each part. */
export function splitByTime(docs: Iterable<LabelledDoc>): SplitDocs {
  const out: SplitDocs = { train: [], validation: [], test: [], unplaced: [] };
  for (const d of docs) {
    const s = splitOf(d.published);
    (s === undefined ? out.unplaced : out[s]).push(d);
  }
  return out;
}
