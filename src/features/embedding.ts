import type { FeatureArtefacts } from './artefacts.js';
import { EMBEDDING_DIMENSIONS } from './spec.js';
import { collectTerms } from './terms.js';

/** Embedding slots are clipped to ±this, so one odd text cannot blow up a network's input. */
export const EMBEDDING_CLIP = 10;

/**
 * Sparse, L2-normalised TF-IDF vector of a text over the artefacts'
 * vocabulary: sublinear term frequency (1 + ln tf) times IDF. Returns the
 * columns and weights; terms outside the vocabulary are ignored.
 */
export function tfidfVector(
  lower: string,
  artefacts: FeatureArtefacts,
): { columns: number[]; weights: number[] } {
  const counts = new Map<number, number>();
  for (const term of collectTerms(lower, artefacts.fit.ngramMax, [])) {
    const c = artefacts.termIndex.get(term);
    if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const columns: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  for (const [c, tf] of counts) {
    const w = (1 + Math.log(tf)) * artefacts.idf[c]!;
    columns.push(c);
    weights.push(w);
    norm += w * w;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < weights.length; i++) weights[i]! *= inv;
  }
  return { columns, weights };
}

/** Writes the 50 embedding slots for `lower` (lower-cased text) into `out` from `offset`. */
export function writeEmbedding(
  lower: string,
  artefacts: FeatureArtefacts,
  out: Float32Array,
  offset: number,
): void {
  const { columns, weights } = tfidfVector(lower, artefacts);
  const { projection, scale } = artefacts.embedding;
  const acc = new Float64Array(EMBEDDING_DIMENSIONS);
  // Term-major layout: each term's 50 weights are contiguous, so this walks memory in order.
  for (let i = 0; i < columns.length; i++) {
    const w = weights[i]!;
    const base = columns[i]! * EMBEDDING_DIMENSIONS;
    for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) acc[d]! += w * projection[base + d]!;
  }
  for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) {
    const s = acc[d]! / scale[d]!;
    out[offset + d] = Math.max(-EMBEDDING_CLIP, Math.min(EMBEDDING_CLIP, s));
  }
}
