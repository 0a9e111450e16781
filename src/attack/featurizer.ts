import { FNV_OFFSET, fnvStep, mix32 } from './hashing.js';

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

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

// Word-character test of BMP code units above ASCII, filled on first sight: 0 unknown, 1 no, 2 yes.
const BMP_WORD = new Uint8Array(65536);

/**
 * Length in UTF-16 units of the word character (`[\p{L}\p{N}_]`, by code point) at `i`
 * of `s`, or 0 when the code point there is not one. ASCII is decided inline; the rest
 * by the Unicode property regex
 * `/[\p{L}\p{N}_]/u` (tokens are maximal runs of such code points, as `/[\p{L}\p{N}_]+/gu` finds them).
 */
function wordCharAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 ? 1 : 0;
  }
  if (c < 0xd800 || c > 0xdfff) {
    let known = BMP_WORD[c] as number;
    if (known === 0) {
      known = WORD_CHAR.test(String.fromCharCode(c)) ? 2 : 1;
      BMP_WORD[c] = known;
    }
    return known === 2 ? 1 : 0;
  }
  const cp = s.codePointAt(i) as number;
  if (cp <= 0xffff) return 0; // a lone surrogate is no letter
  return WORD_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/** True for the UTF-16 units JavaScript's `\s` matches (the chunk boundaries of character n-grams). */
function isSpaceUnit(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0xa0 ||
    c === 0x1680 ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Hashes sentences into raw term counts and applies a fitted idf. One instance
 * holds scratch buffers; it is not re-entrant but is cheap to create.
 *
 * The hot path allocates almost nothing per sentence: tokens are hashed while the
 * lower-cased text is scanned (no token strings, no regex for ASCII), n-gram counts go
 * to dense scratch arrays with a list of touched buckets, and {@link logits} folds the
 * weighted vector straight into a model's scores. The arithmetic (and its float32
 * rounding) is the one of `transform` + `quantizedLogits`, so scores are bit-identical.
 */
export class HashingFeaturizer {
  readonly config: Readonly<FeaturizerConfig>;
  private readonly mask: number;
  private readonly wordAcc: Float32Array;
  private readonly charAcc: Float32Array;
  private readonly touchedWord: number[] = [];
  private readonly touchedChar: number[] = [];
  /** Combined value per bucket while draining; `inOrder[b]` marks buckets already listed in `order`. */
  private readonly combined: Float64Array;
  private readonly inOrder: Uint8Array;
  private order = new Int32Array(256);
  private orderLength = 0;
  private wordHashes = new Uint32Array(64);
  /** Per listed bucket in {@link logits}: where its weight row starts in `entries` (-1: none). */
  private rowAt = new Int32Array(256);

  constructor(config: FeaturizerConfig) {
    if (!isPowerOfTwo(config.dim)) throw new RangeError(`dim must be a power of two, got ${config.dim}`);
    this.config = Object.freeze({ ...config });
    this.mask = config.dim - 1;
    this.wordAcc = new Float32Array(config.dim);
    this.charAcc = new Float32Array(config.dim);
    this.combined = new Float64Array(config.dim);
    this.inOrder = new Uint8Array(config.dim);
  }

  private addWord(bucket: number): void {
    if (this.wordAcc[bucket] === 0) this.touchedWord.push(bucket);
    this.wordAcc[bucket] = (this.wordAcc[bucket] as number) + 1;
  }

  private addChar(bucket: number): void {
    if (this.charAcc[bucket] === 0) this.touchedChar.push(bucket);
    this.charAcc[bucket] = (this.charAcc[bucket] as number) + 1;
  }

  /** Hashes the word tokens of `lower` into `wordHashes`; returns their number. */
  private hashWords(lower: string): number {
    const foldDigits = this.config.foldDigits;
    const n = lower.length;
    let count = 0;
    let i = 0;
    while (i < n) {
      let len = wordCharAt(lower, i);
      if (len === 0) {
        i++;
        continue;
      }
      let h = (FNV_OFFSET ^ WORD_SEED) >>> 0;
      let inDigits = false;
      while (len > 0) {
        const c = lower.charCodeAt(i);
        if (foldDigits && c >= 48 && c <= 57) {
          // A run of ASCII digits hashes as one "0", as `replace(/\d+/g, '0')` does.
          if (!inDigits) h = fnvStep(h, 48);
          inDigits = true;
        } else {
          h = fnvStep(h, c);
          if (len === 2) h = fnvStep(h, lower.charCodeAt(i + 1));
          inDigits = false;
        }
        i += len;
        len = i < n ? wordCharAt(lower, i) : 0;
      }
      if (count === this.wordHashes.length) {
        const grown = new Uint32Array(count * 2);
        grown.set(this.wordHashes);
        this.wordHashes = grown;
      }
      this.wordHashes[count++] = mix32(h);
    }
    return count;
  }

  private count(text: string): void {
    const { wordNgramMax, charNgramMin, charNgramMax } = this.config;
    const lower = text.toLowerCase();
    const words = this.hashWords(lower);
    const hashes = this.wordHashes;
    const mask = this.mask;
    for (let i = 0; i < words; i++) {
      this.addWord((hashes[i] as number) & mask);
      let h = hashes[i] as number;
      for (let n = 2; n <= wordNgramMax && i + n - 1 < words; n++) {
        h = mix32((Math.imul(h, 0x01000193) ^ (hashes[i + n - 1] as number) ^ BIGRAM_SEED) >>> 0);
        this.addWord(h & mask);
      }
    }
    if (charNgramMin <= 0) return;
    // Chunks are runs of non-space units (`\S+`), each padded with one space either side.
    const n = lower.length;
    let s = 0;
    while (s < n) {
      if (isSpaceUnit(lower.charCodeAt(s))) {
        s++;
        continue;
      }
      let e = s + 1;
      while (e < n && !isSpaceUnit(lower.charCodeAt(e))) e++;
      const padded = e - s + 2;
      for (let p = 0; p < padded; p++) {
        let h = (FNV_OFFSET ^ CHAR_SEED) >>> 0;
        for (let k = 1; k <= charNgramMax && p + k <= padded; k++) {
          const at = p + k - 1;
          h = fnvStep(h, at === 0 || at === padded - 1 ? 32 : lower.charCodeAt(s + at - 1));
          if (k >= charNgramMin) this.addChar(mix32(h ^ k) & mask);
        }
      }
      s = e;
    }
  }

  /** Sublinear tf × idf of one block, L2-normalised and weighted, added to `combined` (clears the block). */
  private drainBlock(acc: Float32Array, touched: number[], weight: number, idf: Float32Array | null): void {
    let norm = 0;
    for (const b of touched) {
      const tf = 1 + Math.log(acc[b] as number);
      const v = tf * (idf === null ? 1 : (idf[b] as number));
      acc[b] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (const b of touched) {
      const v = (acc[b] as number) * scale;
      acc[b] = 0;
      if (this.inOrder[b] === 1) {
        this.combined[b] = (this.combined[b] as number) + v;
        continue;
      }
      this.inOrder[b] = 1;
      this.combined[b] = v;
      if (this.orderLength === this.order.length) {
        const grown = new Int32Array(this.orderLength * 2);
        grown.set(this.order);
        this.order = grown;
      }
      this.order[this.orderLength++] = b;
    }
    touched.length = 0;
  }

  /** Fills `order`/`combined` with the vector of the counted text: word buckets first, then new char buckets. */
  private drain(idf: Float32Array | null): void {
    this.orderLength = 0;
    this.drainBlock(this.wordAcc, this.touchedWord, 1, idf);
    this.drainBlock(this.charAcc, this.touchedChar, this.config.charWeight, idf);
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
    this.drain(idf);
    const size = this.orderLength;
    const indices = new Uint32Array(size);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const b = this.order[i] as number;
      indices[i] = b;
      values[i] = this.combined[b] as number;
      this.inOrder[b] = 0;
    }
    return { indices, values };
  }

  /**
   * Scores of `text` under a quantised linear model over these features, without building
   * the sparse vector: `out[k] = (Σ_b x_b · w[b][k]) · scale[k] + bias[k]` over the non-zero
   * weights of `rows`, summed in float32 in the order `transform` lists the buckets, so equal
   * to `quantizedLogits(model, transform(text, idf))` bit for bit. `out` must hold
   * `model.outputs` entries; it is returned.
   */
  logits(
    text: string,
    model: { idf: Float32Array; outputs: number; scale: Float32Array; bias: Float32Array },
    rows: { offset: Int32Array; entries: Uint16Array },
    out: Float32Array,
  ): Float32Array {
    this.count(text);
    this.drain(model.idf);
    const K = model.outputs;
    const { scale, bias } = model;
    const { offset, entries } = rows;
    const order = this.order;
    const combined = this.combined;
    const inOrder = this.inOrder;
    out.fill(0, 0, K);
    const size = this.orderLength;
    if (this.rowAt.length < size) this.rowAt = new Int32Array(this.order.length);
    const rowAt = this.rowAt;
    // The buckets are scattered over a table of 64 Ki entries: look every row up first, in a
    // loop with nothing else in it, so those cache misses overlap instead of each stalling
    // the summation; then sum in the same order as before (same floats).
    for (let i = 0; i < size; i++) {
      const b = order[i] as number;
      inOrder[b] = 0;
      rowAt[i] = offset[b] as number;
    }
    for (let i = 0; i < size; i++) {
      const at = rowAt[i] as number;
      if (at < 0) continue;
      const v = Math.fround(combined[order[i] as number] as number);
      const end = at + 1 + (entries[at] as number);
      for (let j = at + 1; j < end; j++) {
        const e = entries[j] as number;
        const k = e >>> 8;
        out[k] = (out[k] as number) + v * ((e & 0xff) - 128);
      }
    }
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) * (scale[k] as number) + (bias[k] as number);
    return out;
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
