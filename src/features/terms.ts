/**
 * The terms the text embedding is built from: lower-case words that start
 * with a letter (numbers and versions carry no topic), minus English function
 * words, plus bigrams of consecutive kept words ("remote attacker",
 * "user interaction", "use after free").
 */

/** English function words dropped before counting; security words ("not", "without") are kept for bigrams. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being by can do does for from has have had he her his how if in into is it its ' +
    'itself me my of on or our she so such than that the their them then there these they this those to too us ' +
    'was we were what when where which while who whom why will with would you your also any all both each few more ' +
    'most other some same only own just very s t via'
  ).split(' '),
);

const WORD = /[a-z][a-z0-9_]+/g;

/** Longest word kept; longer runs are identifiers or encoded blobs that never generalise. */
const MAX_WORD_LENGTH = 40;

/**
 * Appends the terms of `lower` (lower-cased text) to `out`: unigrams, and
 * when `ngramMax` is 2, bigrams joined by a space.
 */
export function collectTerms(lower: string, ngramMax: 1 | 2, out: string[]): string[] {
  let previous: string | undefined;
  for (const m of lower.matchAll(WORD)) {
    const w = m[0];
    if (w.length > MAX_WORD_LENGTH || STOP_WORDS.has(w)) continue;
    out.push(w);
    if (ngramMax === 2 && previous !== undefined) out.push(`${previous} ${w}`);
    previous = w;
  }
  return out;
}
