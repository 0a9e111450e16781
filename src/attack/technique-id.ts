/**
 * ATT&CK technique ids (`T1059`, `T1059.001`) and the rule for comparing them
 * at the depth a data set gives.
 */

const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

/** True for an Enterprise ATT&CK technique or sub-technique id such as `T1059` or `T1059.001`. */
export function isTechniqueId(value: string): boolean {
  return TECHNIQUE_ID.test(value);
}

/** The parent technique of a sub-technique (`T1059.001` -> `T1059`); a technique is its own parent. */
export function parentTechnique(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/**
 * Maps a predicted id to the depth the data uses, so that a prediction is
 * never penalised for being more specific than the labels.
 *
 * - `gold`: the ids of this example. A predicted `T1059.001` where the example names
 *   `T1059` (and not `T1059.001`) counts as `T1059`.
 * - `vocabulary`: every id the data set names anywhere. A predicted sub-technique the
 *   data set never names, whose parent it does name, is reported as the parent (the
 *   data set only labels at parent depth, so a false positive is a false positive of
 *   the parent).
 *
 * A predicted parent never matches a gold sub-technique: it is less specific than the label.
 */
export function alignToDepth(
  predicted: string,
  gold: ReadonlySet<string>,
  vocabulary: ReadonlySet<string>,
): string {
  if (gold.has(predicted)) return predicted;
  const parent = parentTechnique(predicted);
  if (parent !== predicted && (gold.has(parent) || !vocabulary.has(predicted)) && vocabulary.has(parent)) {
    return parent;
  }
  return predicted;
}

/** Aligns every predicted id of one example with {@link alignToDepth} and removes duplicates. */
export function alignAllToDepth(
  predicted: Iterable<string>,
  gold: ReadonlySet<string>,
  vocabulary: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  for (const p of predicted) out.add(alignToDepth(p, gold, vocabulary));
  return out;
}
