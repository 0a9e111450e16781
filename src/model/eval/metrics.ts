/**
 * Classification metrics over class indices: accuracy, per-class precision,
 * recall and F1, macro-F1, the confusion matrix, and selective accuracy
 * (accuracy on the most confident fraction of the examples).
 */

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples whose true class this is. */
  support: number;
}

/** The figures of one evaluation. */
export interface ClassificationReport {
  n: number;
  accuracy: number;
  /**
   * Mean F1 over the classes that occur in the truth or in the predictions
   * (as scikit-learn's macro average: a class never seen and never predicted is left out).
   */
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/**
 * Computes the report for `truth[i]` vs `pred[i]` (class indices in
 * [0, classes)). Precision of a class never predicted is 0; F1 is 0 when
 * precision + recall is 0.
 */
export function classificationReport(
  truth: ArrayLike<number>,
  pred: ArrayLike<number>,
  classes: number,
): ClassificationReport {
  if (truth.length !== pred.length) throw new RangeError('truth and pred differ in length');
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = pred[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  }
  const perClass: ClassMetrics[] = [];
  for (let c = 0; c < classes; c++) {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let t = 0; t < classes; t++) predicted += (confusion[t] as number[])[c] as number;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
  }
  const present = perClass.filter((m, c) => m.support > 0 || confusion.some((row) => (row[c] as number) > 0));
  const macroF1 = present.length === 0 ? 0 : present.reduce((a, m) => a + m.f1, 0) / present.length;
  return {
    n: truth.length,
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1,
    perClass,
    confusion,
  };
}

/**
 * Accuracy on the `coverage` fraction (0, 1] of examples with the highest
 * confidence (ties broken by input order; the count is rounded up). Returns 0 for no examples.
 */
export function selectiveAccuracy(
  correct: ArrayLike<boolean>,
  confidence: ArrayLike<number>,
  coverage: number,
): number {
  const n = correct.length;
  if (n === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (confidence[b] as number) - (confidence[a] as number) || a - b,
  );
  const k = Math.max(1, Math.ceil(coverage * n));
  let hits = 0;
  for (let r = 0; r < k; r++) if (correct[order[r] as number]) hits++;
  return hits / k;
}
