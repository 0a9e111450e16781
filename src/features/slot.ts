/**
 * The shape of one slot of the feature vector and of the families that own
 * them. Kept apart from `spec.ts` so family files can describe their own slots
 * without importing the assembled spec (no cycles).
 */

/** The feature families, in slot order. */
export const FEATURE_FAMILIES = [
  'embedding',
  'source',
  'temporal',
  'entities',
  'tone',
  'statistics',
  'keywords',
  'patterns',
] as const;

/** One feature family, e.g. `tone`. */
export type FeatureFamily = (typeof FEATURE_FAMILIES)[number];

/**
 * How a family's slots are described before the spec assigns indexes.
 * `range` is the interval the value stays in for every input; `normalisation`
 * says how the raw measurement was mapped into it.
 */
export interface SlotDefinition {
  /** Stable dotted name, `<family>.<what>` (e.g. `tone.urgency`). Never renamed within a spec version. */
  name: string;
  /** What the slot measures, for analysts and model engineers. */
  description: string;
  /** Inclusive bounds of the value. */
  range: readonly [number, number];
  /** How the raw measurement is mapped into `range`. */
  normalisation: string;
}

/** One slot of the assembled spec: a {@link SlotDefinition} with its index and family. */
export interface FeatureSlot extends SlotDefinition {
  /** Position in the vector, 0..127. */
  index: number;
  family: FeatureFamily;
  /** True for slots not used yet: always 0, kept so the layout never shifts. */
  reserved: boolean;
}

/** Saturating map of a non-negative count to [0, 1): 0 -> 0, 1 -> 0.5, 2 -> 0.75, 3 -> 0.875. */
export function saturate(count: number): number {
  return count <= 0 ? 0 : 1 - 0.5 ** count;
}

/** ln(1 + n) / ln(1 + full), clipped to [0, cap]: a log-scaled count that reads 1 at `full`. */
export function logScale(n: number, full: number, cap = 2): number {
  if (!(n > 0)) return 0;
  const v = Math.log1p(n) / Math.log1p(full);
  return Math.min(v, cap);
}
