/**
 * 32-bit FNV-1a over a range of UTF-16 code units, with a seed that separates
 * feature kinds (words, bigrams, character n-grams, metadata) in one table.
 * Part of the on-disk contract: changing it changes every trained bucket, so
 * it is covered by the `featureSpecVersion` of hashed models.
 */
export function fnv1a(text: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Combines two 32-bit hashes (for word bigrams). */
export function combineHash(a: number, b: number): number {
  let h = (a ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ b, 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) >>> 0;
}
