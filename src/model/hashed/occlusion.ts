import { applyCalibration } from '../calibrate.js';
import type { SeverityInput } from '../severity.js';
import { combineHash, fnv1a } from './hash.js';
import type { HashedSeverityModel } from './hashed-model.js';
import { combineHeads } from './hashed-model.js';
import { addRowsFloat32, outputWidth } from './network.js';
import { SEED, STATED_RE, WORD_RE } from './text-features.js';

/** One token the hashed model reads, with its offsets in the given text. */
export interface OcclusionToken {
  /** The token as written: `text.slice(start, end)`. */
  text: string;
  /** Offset of the first character (UTF-16 code units). */
  start: number;
  /** Offset after the last character (exclusive). */
  end: number;
}

/** Leave-one-out occlusion of every token of a text (see {@link leaveOneOutOcclusion}). */
export interface LeaveOneOut {
  /** The tokens the model reads (those inside its `maxChars` window), in text order. */
  tokens: OcclusionToken[];
  /** Calibrated probabilities of the text as given (same as `model.predict(doc).probabilities`). */
  full: number[];
  /** `without[i]`: calibrated probabilities of the text with token `i` removed ({@link removeToken}). */
  without: number[][];
  /**
   * Characters the model reads (`maxChars`): when the text is longer, the
   * occlusion is of the window `text.slice(0, window)`, and removing a token
   * does not pull later characters into it. Equal to the text length otherwise.
   */
  window: number;
  /** Tokens scored by a full re-prediction (near stated-severity phrases), the rest incrementally. */
  fullPredictions: number;
}

const SPACE = /\s/;

/**
 * `text` with `[start, end)` deleted. When whitespace (or the start of the
 * text) precedes the token, the whitespace after it goes too, so no double
 * space is left where the word was. This is the "text without the word" that
 * {@link leaveOneOutOcclusion} scores.
 */
export function removeToken(text: string, start: number, end: number): string {
  let pos = end;
  if (start === 0 || SPACE.test(text[start - 1]!)) {
    while (pos < text.length && SPACE.test(text[pos]!)) pos++;
  }
  return text.slice(0, start) + text.slice(pos);
}

// Words that anchor a stated-severity phrase: removing a token within a few
// tokens of one may create or break such a phrase, which the incremental path
// does not model, so those tokens are scored by a full re-prediction.
const STATED_ANCHOR = /^(?:classified|declared|rated|rates?|severity)$/;
const STATED_REACH = 5;

const g = (tf: number): number => (tf <= 1 ? tf : 1 + Math.log(tf));

/**
 * `z += coef[k] * E[rows[k] .. rows[k] + dim)` for k in 0..count, four rows per pass over
 * the columns (then two, then one): each element still gets its multiply-adds in row
 * order, in doubles (so the same sums as one row at a time), with a quarter of the loads
 * and stores of `z` and four scattered embedding rows loading at once.
 */
function addRows(
  z: Float64Array,
  E: Float32Array,
  rows: Int32Array,
  coef: Float64Array,
  count: number,
  dim: number,
): void {
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const r1 = rows[k]!;
    const r2 = rows[k + 1]!;
    const r3 = rows[k + 2]!;
    const r4 = rows[k + 3]!;
    const v1 = coef[k]!;
    const v2 = coef[k + 1]!;
    const v3 = coef[k + 2]!;
    const v4 = coef[k + 3]!;
    for (let j = 0; j < dim; j++) {
      z[j] = z[j]! + v1 * E[r1 + j]! + v2 * E[r2 + j]! + v3 * E[r3 + j]! + v4 * E[r4 + j]!;
    }
  }
  for (; k + 1 < count; k += 2) {
    const r1 = rows[k]!;
    const r2 = rows[k + 1]!;
    const v1 = coef[k]!;
    const v2 = coef[k + 1]!;
    for (let j = 0; j < dim; j++) z[j] = z[j]! + v1 * E[r1 + j]! + v2 * E[r2 + j]!;
  }
  if (k < count) {
    const r = rows[k]!;
    const v = coef[k]!;
    for (let j = 0; j < dim; j++) z[j] = z[j]! + v * E[r + j]!;
  }
}

/**
 * Sums per hash bucket in a dense array, with the buckets in the order they
 * were first added (the iteration order of the `Map` it replaces, so sums
 * and their rounding are unchanged); `clear` costs the number of buckets used.
 */
class BucketSums {
  readonly values: Float64Array;
  readonly keys: Int32Array;
  private readonly used: Uint8Array;
  size = 0;

  constructor(buckets: number) {
    this.values = new Float64Array(buckets);
    this.keys = new Int32Array(buckets);
    this.used = new Uint8Array(buckets);
  }

  add(bucket: number, w: number): void {
    if (this.used[bucket] === 0) {
      this.used[bucket] = 1;
      this.keys[this.size++] = bucket;
    }
    this.values[bucket] = this.values[bucket]! + w;
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) {
      const b = this.keys[k]!;
      this.values[b] = 0;
      this.used[b] = 0;
    }
    this.size = 0;
  }
}

// Per model (by identity), the bucket sums of the text and of one occlusion,
// reused across calls (allocated once: 2 x 13 bytes per bucket). Occlusion is
// synchronous, so one pair per model is enough.
const scratch = new WeakMap<HashedSeverityModel, { counts: BucketSums; delta: BucketSums }>();

function scratchOf(model: HashedSeverityModel, buckets: number): { counts: BucketSums; delta: BucketSums } {
  let entry = scratch.get(model);
  if (entry === undefined || entry.counts.values.length !== buckets) {
    entry = { counts: new BucketSums(buckets), delta: new BucketSums(buckets) };
    scratch.set(model, entry);
  }
  return entry;
}

/**
 * For each token of a text, the hashed model's calibrated probabilities of
 * the text with that token removed: exact leave-one-out occlusion, computed
 * incrementally from the model's n-gram bag instead of re-predicting each
 * shortened text.
 *
 * Removing token i changes only a few hash buckets: its word, its character
 * n-grams, its source-conjoined word, the word n-grams through it (the
 * n-grams that bridge the gap are added). The embedding bag is linear in the
 * bucket counts before the L2 normalisation, so the occluded embedding is the
 * full one plus those buckets' rows, rescaled by the new norm; then the rest
 * of the network, head combination and calibration run as in `predict`. Cost
 * per token: (changed buckets + output width) × embedding width, against the
 * whole bag for a re-prediction. Tokens near a stated-severity phrase
 * ("rated as critical") are re-predicted in full, since removing them can
 * make or break such a phrase.
 *
 * Equal (up to float rounding, about 1e-6) to
 * `model.predict({ ...doc, text: removeToken(w, t.start, t.end) })` where `w`
 * is the model's window `text.slice(0, maxChars)`.
 *
 * Returns undefined when lower-casing changes the text's length (a few
 * non-Latin letters do), since the token offsets would then not point into
 * the given text, and when the rebuilt n-gram bag does not reproduce the
 * model's own answer (the representation changed under this code); callers
 * fall back to re-prediction.
 *
 * @param prediction the model's probabilities for `doc` when the caller has
 *   them already (saves one prediction); they are checked against the rebuilt bag.
 */
export function leaveOneOutOcclusion(
  model: HashedSeverityModel,
  doc: SeverityInput,
  prediction?: readonly number[],
): LeaveOneOut | undefined {
  const { config, weights, calibration } = model.internals();
  const cfg = config.features;
  const window = Math.min(doc.text.length, cfg.maxChars);
  const text = doc.text.slice(0, window);
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return undefined;
  const windowDoc: SeverityInput = { ...doc, text };

  // Tokens and their hashes, exactly as `hashedFeatures` builds them.
  const tokens: OcclusionToken[] = [];
  const hashes: number[] = [];
  const forms: string[] = [];
  for (const m of lower.matchAll(WORD_RE)) {
    const form = cfg.numberShape ? m[0].replace(/\d+/g, '0') : m[0];
    tokens.push({
      text: text.slice(m.index, m.index + m[0].length),
      start: m.index,
      end: m.index + m[0].length,
    });
    forms.push(form);
    hashes.push(fnv1a(form, 0, form.length, SEED.word));
  }
  const n = tokens.length;
  const full = prediction === undefined ? model.predict(doc).probabilities : [...prediction];
  if (n === 0) return { tokens, full, without: [], window, fullPredictions: 0 };

  const mask = cfg.buckets - 1;
  const source = doc.source?.trim().toLowerCase();
  const sourceHash = cfg.sourceWords && source ? fnv1a(source, 0, source.length, SEED.sourceWord) : 0;
  const bigram = (a: number, b: number) => (combineHash(a, b) ^ SEED.bigram) & mask;
  const trigram = (a: number, b: number, c: number) =>
    (combineHash(combineHash(a, b), c) ^ SEED.trigram) & mask;
  const useChars = cfg.charMax >= cfg.charMin && cfg.charWeight > 0;

  // What each token contributes on its own: word, source word, character
  // n-grams. Hashed once per distinct token (used twice: counts and removal).
  const ownCache = new Map<string, { buckets: number[]; weights: number[] }>();
  const ownOf = (t: number) => {
    const form = forms[t]!;
    let entry = ownCache.get(form);
    if (entry === undefined) {
      const buckets: number[] = [];
      const ws: number[] = [];
      const h = hashes[t]!;
      buckets.push(h & mask);
      ws.push(1);
      if (sourceHash !== 0) {
        buckets.push(combineHash(sourceHash, h) & mask);
        ws.push(1);
      }
      if (useChars) {
        const padded = `<${form}>`;
        for (let len = cfg.charMin; len <= cfg.charMax; len++) {
          for (let s = 0; s + len <= padded.length; s++) {
            if (len === padded.length) continue;
            buckets.push(fnv1a(padded, s, s + len, SEED.char) & mask);
            ws.push(cfg.charWeight);
          }
        }
      }
      entry = { buckets, weights: ws };
      ownCache.set(form, entry);
    }
    return entry;
  };
  const own = (t: number, add: (bucket: number, w: number) => void): void => {
    const { buckets, weights: ws } = ownOf(t);
    for (let k = 0; k < buckets.length; k++) add(buckets[k]!, ws[k]!);
  };

  // Full bucket counts, as `hashedFeatures` accumulates them.
  const { counts, delta } = scratchOf(model, cfg.buckets);
  counts.clear();
  delta.clear();
  const addCount = (bucket: number, w: number) => counts.add(bucket, w);
  for (let t = 0; t < n; t++) {
    own(t, addCount);
    if (cfg.wordNgrams >= 2 && t >= 1) addCount(bigram(hashes[t - 1]!, hashes[t]!), 1);
    if (cfg.wordNgrams >= 3 && t >= 2) addCount(trigram(hashes[t - 2]!, hashes[t - 1]!, hashes[t]!), 1);
  }
  const hashOf = (s: string, seed: number) => fnv1a(s, 0, s.length, seed) & mask;
  if (cfg.metaTokens) {
    const meta = [`source:${source ?? '?'}`];
    const cwes = doc.cwes ?? [];
    if (cwes.length === 0) meta.push('cwe:none');
    for (const c of cwes) meta.push(`cwe:${c.toUpperCase()}`);
    for (const m of meta) addCount(hashOf(m, SEED.meta), cfg.metaWeight);
  }
  if (cfg.statedSeverity) {
    for (const m of text.matchAll(STATED_RE)) {
      const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
      addCount(hashOf(`stated:${word}`, SEED.meta), Math.max(cfg.metaWeight, 1));
    }
  }

  const dim = config.network.dim;
  const shape = { ...config.network, buckets: cfg.buckets };
  const E = weights.embedding;
  const base = new Float64Array(dim);
  // Rows and coefficients of the embedding sums (the full bag here, one delta per token
  // below: at most every bucket of the text plus the three bridging n-grams).
  const sumRows = new Int32Array(counts.size + 8);
  const sumCoef = new Float64Array(counts.size + 8);
  let sumSq = 0;
  for (let k = 0; k < counts.size; k++) {
    const bucket = counts.keys[k]!;
    const v = g(counts.values[bucket]!);
    sumSq += v * v;
    sumRows[k] = bucket * dim;
    sumCoef[k] = v;
  }
  addRows(base, E, sumRows, sumCoef, counts.size, dim);

  const o = outputWidth(config.network);
  const z = new Float64Array(dim);
  const logits = new Float32Array(o);
  const raw = new Float64Array(5);
  const units = new Float64Array(dim);
  const fired = new Int32Array(dim);
  const addDelta = (bucket: number, w: number) => delta.add(bucket, w);
  const subDelta = (bucket: number, w: number) => delta.add(bucket, -w);
  /** Calibrated probabilities for the counts plus `delta`. */
  const evaluate = (): number[] => {
    z.set(base);
    let sq = sumSq;
    let changed = 0;
    for (let k = 0; k < delta.size; k++) {
      const bucket = delta.keys[k]!;
      const d = delta.values[bucket]!;
      if (d === 0) continue;
      const before = counts.values[bucket]!;
      // Counts are sums of small weights: snap float residue so a removed bucket is exactly 0.
      const afterRaw = before + d;
      const after = Math.abs(afterRaw) < 1e-9 ? 0 : afterRaw;
      const gb = g(before);
      const ga = g(after);
      if (ga === gb) continue;
      sq += ga * ga - gb * gb;
      sumRows[changed] = bucket * dim;
      sumCoef[changed++] = ga - gb;
    }
    addRows(z, E, sumRows, sumCoef, changed, dim);
    const inv = sq > 1e-12 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < dim; j++) z[j] = weights.embeddingBias[j]! + z[j]! * inv;
    if (!shape.hidden) {
      for (let c = 0; c < o; c++) logits[c] = z[c]!;
    } else {
      const D = weights.dense;
      logits.set(weights.denseBias);
      // The ReLU units that fire, then their dense rows summed in unit order (the floats of
      // one row at a time, several rows per pass).
      let active = 0;
      for (let j = 0; j < dim; j++) {
        const a = z[j]!;
        if (a <= 0) continue;
        units[active] = a;
        fired[active++] = j;
      }
      addRowsFloat32(logits, D, fired, o, units, active, o);
    }
    combineHeads(logits, shape, config.output, raw);
    return applyCalibration(raw, calibration);
  };
  // Guard: the rebuilt bag must give the model's own answer, or the
  // representation changed under this code; then the caller re-predicts.
  delta.clear();
  const rebuilt = evaluate();
  for (let c = 0; c < full.length; c++) if (!(Math.abs(rebuilt[c]! - full[c]!) <= 1e-4)) return undefined;

  const nearStated = new Uint8Array(n);
  if (cfg.statedSeverity) {
    for (let t = 0; t < n; t++) {
      if (!STATED_ANCHOR.test(forms[t]!)) continue;
      for (let u = Math.max(0, t - STATED_REACH); u <= Math.min(n - 1, t + STATED_REACH); u++)
        nearStated[u] = 1;
    }
  }

  const without: number[][] = [];
  let fullPredictions = 0;
  for (let t = 0; t < n; t++) {
    if (nearStated[t] === 1) {
      fullPredictions++;
      without.push(
        model.predict({ ...windowDoc, text: removeToken(text, tokens[t]!.start, tokens[t]!.end) })
          .probabilities,
      );
      continue;
    }
    delta.clear();
    own(t, subDelta);
    const h = hashes;
    if (cfg.wordNgrams >= 2) {
      if (t >= 1) subDelta(bigram(h[t - 1]!, h[t]!), 1);
      if (t + 1 < n) subDelta(bigram(h[t]!, h[t + 1]!), 1);
      if (t >= 1 && t + 1 < n) addDelta(bigram(h[t - 1]!, h[t + 1]!), 1);
    }
    if (cfg.wordNgrams >= 3) {
      if (t >= 2) subDelta(trigram(h[t - 2]!, h[t - 1]!, h[t]!), 1);
      if (t >= 1 && t + 1 < n) subDelta(trigram(h[t - 1]!, h[t]!, h[t + 1]!), 1);
      if (t + 2 < n) subDelta(trigram(h[t]!, h[t + 1]!, h[t + 2]!), 1);
      if (t >= 2 && t + 1 < n) addDelta(trigram(h[t - 2]!, h[t - 1]!, h[t + 1]!), 1);
      if (t >= 1 && t + 2 < n) addDelta(trigram(h[t - 1]!, h[t + 1]!, h[t + 2]!), 1);
    }
    without.push(evaluate());
  }
  return { tokens, full, without, window, fullPredictions };
}
