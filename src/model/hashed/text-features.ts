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
 * Turns a document into its hashed sparse vector: word 1..n-grams, character
 * n-grams of each word, and optionally source/CWE/stated-severity tokens and
 * source-conjoined words. Each feature's value is its group weight times
 * `1 + ln(count)`; the vector is L2-normalised. Pure and deterministic.
 */
export function hashedFeatures(doc: SeverityInput, cfg: HashedFeatureConfig): SparseVector {
  const mask = cfg.buckets - 1;
  const acc = new Map<number, number>();
  const add = (h: number, w: number) => {
    const i = h & mask;
    acc.set(i, (acc.get(i) ?? 0) + w);
  };
  const text = doc.text.length > cfg.maxChars ? doc.text.slice(0, cfg.maxChars) : doc.text;
  const toks = tokens(text, cfg.numberShape);
  const source = doc.source?.trim().toLowerCase();
  const sourceHash = cfg.sourceWords && source ? fnv1a(source, 0, source.length, SEED.sourceWord) : 0;
  let prev1 = 0;
  let prev2 = 0;
  for (let t = 0; t < toks.length; t++) {
    const tok = toks[t] as string;
    const h = fnv1a(tok, 0, tok.length, SEED.word);
    add(h, 1);
    if (cfg.wordNgrams >= 2 && t >= 1) add(combineHash(prev1, h) ^ SEED.bigram, 1);
    if (cfg.wordNgrams >= 3 && t >= 2) add(combineHash(combineHash(prev2, prev1), h) ^ SEED.trigram, 1);
    if (sourceHash !== 0) add(combineHash(sourceHash, h), 1);
    prev2 = prev1;
    prev1 = h;
    if (cfg.charMax >= cfg.charMin && cfg.charWeight > 0) {
      const padded = `<${tok}>`;
      for (let n = cfg.charMin; n <= cfg.charMax; n++) {
        for (let s = 0; s + n <= padded.length; s++) {
          // The whole padded word is already a word feature.
          if (n === padded.length) continue;
          add(fnv1a(padded, s, s + n, SEED.char), cfg.charWeight);
        }
      }
    }
  }
  if (cfg.metaTokens) {
    const meta = [`source:${source ?? '?'}`];
    const cwes = doc.cwes ?? [];
    if (cwes.length === 0) meta.push('cwe:none');
    for (const c of cwes) meta.push(`cwe:${c.toUpperCase()}`);
    for (const m of meta) add(fnv1a(m, 0, m.length, SEED.meta), cfg.metaWeight);
  }
  if (cfg.statedSeverity) {
    for (const m of text.matchAll(STATED_RE)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      const tok = `stated:${word}`;
      add(fnv1a(tok, 0, tok.length, SEED.meta), Math.max(cfg.metaWeight, 1));
    }
  }
  return toSparse(acc);
}

function toSparse(acc: Map<number, number>): SparseVector {
  const idx = Int32Array.from(acc.keys()).sort();
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let k = 0; k < idx.length; k++) {
    const tf = acc.get(idx[k] as number) as number;
    // Sublinear counts; group weights below 1 stay proportional.
    const v = tf <= 1 ? tf : 1 + Math.log(tf);
    val[k] = v;
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) * inv;
  return { idx, val };
}
