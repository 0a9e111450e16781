/**
 * 32-bit string hashing for the feature hashing trick. FNV-1a over UTF-16 code
 * units with a murmur3 finaliser, so that nearby n-grams spread over the table.
 * Stable across platforms and releases: a saved model depends on it.
 */

/** FNV-1a offset basis. */
export const FNV_OFFSET = 0x811c9dc5;

/** One FNV-1a step: folds a UTF-16 code unit into the running hash. */
export function fnvStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193) >>> 0;
}

/** murmur3's 32-bit finaliser: mixes all bits of `h`. */
export function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes `text` starting from `seed` (use different seeds for different feature namespaces). */
export function hashString(text: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return mix32(h);
}
