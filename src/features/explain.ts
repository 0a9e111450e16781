import type { FeatureFamily } from './slot.js';
import { FEATURE_DIMENSION, FEATURE_SPEC } from './spec.js';

/** One named slot value of a vector. */
export interface ExplainedSlot {
  index: number;
  name: string;
  family: FeatureFamily;
  value: number;
}

/**
 * The non-zero slots of a feature vector with their spec names, in index
 * order (what `cyberstreams featurize --explain` prints).
 *
 * @throws RangeError when the vector is not 128 long (a programming error).
 */
export function explainVector(vector: ArrayLike<number>): ExplainedSlot[] {
  if (vector.length !== FEATURE_DIMENSION) {
    throw new RangeError(`A feature vector has ${FEATURE_DIMENSION} slots, got ${vector.length}`);
  }
  const out: ExplainedSlot[] = [];
  for (const slot of FEATURE_SPEC.slots) {
    const value = vector[slot.index]!;
    if (value !== 0) out.push({ index: slot.index, name: slot.name, family: slot.family, value });
  }
  return out;
}
