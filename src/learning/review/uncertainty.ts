/** Uncertainty measures of a class distribution. Pure. */

/** Top-1 minus top-2 probability, in [0, 1]; small means the model hesitates between two classes. */
export function margin(probabilities: readonly number[]): number {
  let first = 0;
  let second = 0;
  for (const p of probabilities) {
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) {
      second = p;
    }
  }
  return first - second;
}

/** Shannon entropy divided by ln(classes), in [0, 1]; 1 means uniform. Zero probabilities add nothing. */
export function normalisedEntropy(probabilities: readonly number[]): number {
  if (probabilities.length < 2) return 0;
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
  return Math.min(1, Math.max(0, h / Math.log(probabilities.length)));
}
