import type { HashedFeatureConfigV1 } from '../format/hashed-v1.js';
import type { SeverityInput } from '../severity.js';
import { combineHash, fnv1a } from './hash.js';

/** Settings of the hashed text representation (stored in the manifest; see `HashedFeatureConfigV1Schema`). */
export type HashedFeatureConfig = HashedFeatureConfigV1;

/** The version of this representation (tokeniser, hashing, weighting); part of the manifest contract. */
export const HASHED_FEATURES_VERSION = 'hashed-ngram-text/1';

/** A sparse, L2-normalised feature vector: bucket indices (ascending) and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** Hash seeds of the feature kinds (part of the representation: changing one changes every bucket). */
export const SEED = {
  word: 0x11,
  bigram: 0x22,
  trigram: 0x33,
  char: 0x44,
  meta: 0x55,
  sourceWord: 0x66,
} as const;
/** A token of the representation (matched on the lower-cased text). */
export const WORD_RE = /[\p{L}\p{N}]+(?:['._-][\p{L}\p{N}]+)*/gu;
/** Stated-severity phrases ("rated as critical", "high severity"), matched on the truncated text. */
export const STATED_RE =
  /\b(?:classified|declared|rated|rate[ds]?) as (very critical|critical|problematic|high|medium|moderate|low)\b|\b(critical|high|medium|moderate|low)[- ]severity\b|\bseverity(?: rating)?(?: of|:)? (critical|high|medium|moderate|low)\b/gi;

function tokens(text: string, numberShape: boolean): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD_RE)) {
    out.push(numberShape ? m[0].replace(/\d+/g, '0') : m[0]);
  }
  return out;
}

/**
 * Per-bucket-count scratch of {@link hashedFeatures}: running sums, a stamp
 * per bucket telling whether it was touched in the current call, and the list
 * of touched buckets. Replaces a `Map` (about half the featurisation CPU) and
 * gives the same sums: each bucket still receives its weights in the same
 * order. Kept per table size; single-threaded and never re-entered, so one
 * scratch per size is enough.
 */
interface Scratch {
  counts: Float64Array;
  stamp: Int32Array;
  generation: number;
  touched: Int32Array;
  n: number;
}

const scratches = new Map<number, Scratch>();

function scratchFor(buckets: number): Scratch {
  let s = scratches.get(buckets);
  if (!s) {
    s = {
      counts: new Float64Array(buckets),
      stamp: new Int32Array(buckets),
      generation: 0,
      touched: new Int32Array(1024),
      n: 0,
    };
    scratches.set(buckets, s);
  }
  if (s.generation >= 0x7ffffffe) {
    s.stamp.fill(0);
    s.generation = 0;
  }
  s.generation++;
  s.n = 0;
  return s;
}

function add(s: Scratch, i: number, w: number): void {
  if (s.stamp[i] === s.generation) {
    s.counts[i] = (s.counts[i] as number) + w;
    return;
  }
  s.stamp[i] = s.generation;
  s.counts[i] = 0 + w;
  if (s.n === s.touched.length) {
    const grown = new Int32Array(s.touched.length * 2);
    grown.set(s.touched);
    s.touched = grown;
  }
  s.touched[s.n++] = i;
}

const LT = 60; // '<'
const GT = 62; // '>'
const FNV_PRIME = 0x01000193;

/**
 * Adds the character n-grams (lengths charMin..charMax) of `<tok>` except the
 * whole padded word, each the FNV-1a hash of its characters (the same value as
 * `fnv1a(padded, s, s + n, SEED.char)`), computed incrementally from each start
 * so that the n-grams sharing a start share the hashing work.
 */
function addCharNgrams(s: Scratch, tok: string, cfg: HashedFeatureConfig, mask: number): void {
  const len = tok.length + 2;
  const w = cfg.charWeight;
  const init = (0x811c9dc5 ^ SEED.char) >>> 0;
  for (let start = 0; start + cfg.charMin <= len; start++) {
    let h = init;
    const end = Math.min(len, start + cfg.charMax);
    for (let i = start; i < end; i++) {
      const c = i === 0 ? LT : i === len - 1 ? GT : tok.charCodeAt(i - 1);
      h ^= c;
      h = Math.imul(h, FNV_PRIME);
      const n = i - start + 1;
      // The whole padded word is already a word feature.
      if (n >= cfg.charMin && n !== len) add(s, (h >>> 0) & mask, w);
    }
  }
}

/**
 * Turns a document into its hashed sparse vector: word 1..n-grams, character
 * n-grams of each word, and optionally source/CWE/stated-severity tokens and
 * source-conjoined words. Each feature's value is its group weight times
 * `1 + ln(count)`; the vector is L2-normalised. Pure and deterministic.
 */
export function hashedFeatures(doc: SeverityInput, cfg: HashedFeatureConfig): SparseVector {
  const mask = cfg.buckets - 1;
  const acc = scratchFor(cfg.buckets);
  const text = doc.text.length > cfg.maxChars ? doc.text.slice(0, cfg.maxChars) : doc.text;
  const toks = tokens(text, cfg.numberShape);
  const source = doc.source?.trim().toLowerCase();
  const sourceHash = cfg.sourceWords && source ? fnv1a(source, 0, source.length, SEED.sourceWord) : 0;
  const chars = cfg.charMax >= cfg.charMin && cfg.charWeight > 0;
  let prev1 = 0;
  let prev2 = 0;
  for (let t = 0; t < toks.length; t++) {
    const tok = toks[t] as string;
    const h = fnv1a(tok, 0, tok.length, SEED.word);
    add(acc, h & mask, 1);
    if (cfg.wordNgrams >= 2 && t >= 1) add(acc, (combineHash(prev1, h) ^ SEED.bigram) & mask, 1);
    if (cfg.wordNgrams >= 3 && t >= 2)
      add(acc, (combineHash(combineHash(prev2, prev1), h) ^ SEED.trigram) & mask, 1);
    if (sourceHash !== 0) add(acc, combineHash(sourceHash, h) & mask, 1);
    prev2 = prev1;
    prev1 = h;
    if (chars) addCharNgrams(acc, tok, cfg, mask);
  }
  if (cfg.metaTokens) {
    const meta = [`source:${source ?? '?'}`];
    const cwes = doc.cwes ?? [];
    if (cwes.length === 0) meta.push('cwe:none');
    for (const c of cwes) meta.push(`cwe:${c.toUpperCase()}`);
    for (const m of meta) add(acc, fnv1a(m, 0, m.length, SEED.meta) & mask, cfg.metaWeight);
  }
  if (cfg.statedSeverity) {
    for (const m of text.matchAll(STATED_RE)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      const tok = `stated:${word}`;
      add(acc, fnv1a(tok, 0, tok.length, SEED.meta) & mask, Math.max(cfg.metaWeight, 1));
    }
  }
  return toSparse(acc, Math.log2(cfg.buckets));
}

// Radix-sort scratch: one digit's counts and the array between passes (grown as needed).
const radixCounts = new Int32Array(257);
let radixTemp = new Int32Array(1024);

/**
 * The first `n` entries of `keys` (distinct, in [0, 2^bits)) in ascending order, as a new
 * array: the result of `keys.slice(0, n).sort()`, by an LSD radix sort of 8 bits per pass
 * (two passes for 65,536 buckets instead of about n·log2(n) comparisons); small inputs use
 * the built-in sort.
 */
export function sortedBuckets(keys: Int32Array, n: number, bits: number): Int32Array {
  let out = keys.slice(0, n);
  if (n < 64) return out.sort();
  if (radixTemp.length < n) radixTemp = new Int32Array(keys.length);
  let tmp = radixTemp.subarray(0, n);
  for (let shift = 0; shift < bits; shift += 8) {
    const c = radixCounts;
    c.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = (((out[i] as number) >>> shift) & 0xff) + 1;
      c[digit] = (c[digit] as number) + 1;
    }
    for (let d = 1; d < 257; d++) c[d] = (c[d] as number) + (c[d - 1] as number);
    for (let i = 0; i < n; i++) {
      const v = out[i] as number;
      const digit = (v >>> shift) & 0xff;
      const at = c[digit] as number;
      c[digit] = at + 1;
      tmp[at] = v;
    }
    const t = out;
    out = tmp;
    tmp = t;
  }
  // After an odd number of passes the result sits in the shared scratch: copy it out.
  return out.buffer === radixTemp.buffer ? out.slice() : out;
}

function toSparse(acc: Scratch, bits: number): SparseVector {
  const idx = sortedBuckets(acc.touched, acc.n, bits);
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let k = 0; k < idx.length; k++) {
    const tf = acc.counts[idx[k] as number] as number;
    // Sublinear counts; group weights below 1 stay proportional.
    const v = tf <= 1 ? tf : 1 + Math.log(tf);
    val[k] = v;
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) * inv;
  return { idx, val };
}
