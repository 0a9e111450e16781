import { FNV_OFFSET, fnvStep, hashString, mix32 } from './hashing.js';

/**
 * Turns a sentence into a sparse, L2-normalised TF-IDF vector over hashed word
 * 1..n-grams and character n-grams. The idf table is fitted on training text
 * and saved with the model.
 */

/** Settings of the featuriser; saved in the model manifest. */
export interface FeaturizerConfig {
  /** Number of hash buckets, a power of two. */
  dim: number;
  /** Longest word n-gram (1 = unigrams only). */
  wordNgramMax: number;
  /** Shortest character n-gram, 0 for none. */
  charNgramMin: number;
  /** Longest character n-gram. */
  charNgramMax: number;
  /** Weight of the character block relative to the word block (each block is L2-normalised first). */
  charWeight: number;
  /** Replace every run of digits by one `0` in word tokens (IPs, sizes and dates stop being rare words). */
  foldDigits: boolean;
}

/** A sparse vector: `values[i]` at bucket `indices[i]`, indices unique. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

const WORD_SEED = 0x9e3779b1;
const BIGRAM_SEED = 0x7f4a7c15;
const CHAR_SEED = 0x2545f491;

const WORD = /[\p{L}\p{N}_]+/gu;
const CHUNK = /\S+/g;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Lower-cased word tokens of `text` as the featuriser sees them. */
export function wordTokens(text: string, foldDigits: boolean): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  for (const m of lower.matchAll(WORD)) out.push(foldDigits ? m[0].replace(/\d+/g, '0') : m[0]);
  return out;
}

/**
 * Hashes sentences into raw term counts and applies a fitted idf. One instance
 * holds scratch buffers; it is not re-entrant but is cheap to create.
 */
export class HashingFeaturizer {
  readonly config: Readonly<FeaturizerConfig>;
  private readonly mask: number;
  private readonly wordAcc: Float32Array;
  private readonly charAcc: Float32Array;
  private readonly touchedWord: number[] = [];
  private readonly touchedChar: number[] = [];

  constructor(config: FeaturizerConfig) {
    if (!isPowerOfTwo(config.dim)) throw new RangeError(`dim must be a power of two, got ${config.dim}`);
    this.config = Object.freeze({ ...config });
    this.mask = config.dim - 1;
    this.wordAcc = new Float32Array(config.dim);
    this.charAcc = new Float32Array(config.dim);
  }

  private addWord(bucket: number): void {
    if (this.wordAcc[bucket] === 0) this.touchedWord.push(bucket);
    this.wordAcc[bucket] = (this.wordAcc[bucket] as number) + 1;
  }

  private addChar(bucket: number): void {
    if (this.charAcc[bucket] === 0) this.touchedChar.push(bucket);
    this.charAcc[bucket] = (this.charAcc[bucket] as number) + 1;
  }

  private count(text: string): void {
    const { wordNgramMax, charNgramMin, charNgramMax, foldDigits } = this.config;
    const words = wordTokens(text, foldDigits);
    const hashes = words.map((w) => hashString(w, WORD_SEED));
    for (let i = 0; i < hashes.length; i++) {
      this.addWord((hashes[i] as number) & this.mask);
      let h = hashes[i] as number;
      for (let n = 2; n <= wordNgramMax && i + n - 1 < hashes.length; n++) {
        h = mix32((Math.imul(h, 0x01000193) ^ (hashes[i + n - 1] as number) ^ BIGRAM_SEED) >>> 0);
        this.addWord(h & this.mask);
      }
    }
    if (charNgramMin <= 0) return;
    const lower = text.toLowerCase();
    for (const m of lower.matchAll(CHUNK)) {
      const padded = ` ${m[0]} `;
      for (let p = 0; p < padded.length; p++) {
        let h = (FNV_OFFSET ^ CHAR_SEED) >>> 0;
        for (let n = 1; n <= charNgramMax && p + n <= padded.length; n++) {
          h = fnvStep(h, padded.charCodeAt(p + n - 1));
          if (n >= charNgramMin) this.addChar(mix32(h ^ n) & this.mask);
        }
      }
    }
  }

  private drain(idf: Float32Array | null): SparseVector {
    const { charWeight } = this.config;
    const block = (acc: Float32Array, touched: number[], weight: number): Map<number, number> => {
      let norm = 0;
      for (const b of touched) {
        const tf = 1 + Math.log(acc[b] as number);
        const v = tf * (idf === null ? 1 : (idf[b] as number));
        acc[b] = v;
        norm += v * v;
      }
      const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
      const out = new Map<number, number>();
      for (const b of touched) {
        out.set(b, (acc[b] as number) * scale);
        acc[b] = 0;
      }
      touched.length = 0;
      return out;
    };
    const words = block(this.wordAcc, this.touchedWord, 1);
    const chars = block(this.charAcc, this.touchedChar, charWeight);
    for (const [b, v] of chars) words.set(b, (words.get(b) ?? 0) + v);
    const indices = new Uint32Array(words.size);
    const values = new Float32Array(words.size);
    let i = 0;
    for (const [b, v] of words) {
      indices[i] = b;
      values[i] = v;
      i++;
    }
    return { indices, values };
  }

  /** The buckets `text` touches (for document frequencies). */
  buckets(text: string): Uint32Array {
    this.count(text);
    const all = new Set<number>([...this.touchedWord, ...this.touchedChar]);
    for (const b of this.touchedWord) this.wordAcc[b] = 0;
    for (const b of this.touchedChar) this.charAcc[b] = 0;
    this.touchedWord.length = 0;
    this.touchedChar.length = 0;
    return Uint32Array.from(all);
  }

  /** The TF-IDF vector of `text` (sublinear tf, then each block L2-normalised and weighted). */
  transform(text: string, idf: Float32Array | null): SparseVector {
    this.count(text);
    return this.drain(idf);
  }
}

/**
 * Fits smoothed idf weights, `ln((1 + n) / (1 + df)) + 1`, over `texts` (as scikit-learn does).
 */
export function fitIdf(featurizer: HashingFeaturizer, texts: Iterable<string>): Float32Array {
  const df = new Float64Array(featurizer.config.dim);
  let n = 0;
  for (const t of texts) {
    for (const b of featurizer.buckets(t)) df[b] = (df[b] as number) + 1;
    n++;
  }
  const idf = new Float32Array(df.length);
  for (let i = 0; i < df.length; i++) idf[i] = Math.log((1 + n) / (1 + (df[i] as number))) + 1;
  return idf;
}
