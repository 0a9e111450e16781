import { AppError } from '../core/index.js';
import { FAMILY_SLOTS, FEATURE_FAMILIES } from '../features/index.js';
import { shapleyFromCoalitionValues } from './shapley-weights.js';
import type { VectorModel } from './vector-model.js';

/** A block of consecutive slots that is switched on or off as one player. */
export interface SlotGroup {
  /** Name shown in the explanation (a feature family: `embedding`, `tone`, ...). */
  name: string;
  /** First slot, inclusive. */
  start: number;
  /** Last slot, exclusive. */
  end: number;
}

/** The eight feature families of `FEATURE_SPEC`, in slot order. */
export const FEATURE_FAMILY_GROUPS: readonly SlotGroup[] = Object.freeze(
  FEATURE_FAMILIES.map((name) =>
    Object.freeze({ name, start: FAMILY_SLOTS[name][0], end: FAMILY_SLOTS[name][1] }),
  ),
);

/** More groups than this would mean 2^groups × background vectors per explanation. */
export const MAX_SLOT_GROUPS = 12;

/** Options of {@link explainFamilies}. */
export interface FamilyShapleyOptions {
  /** Index of the class whose probability is explained. Default: the most probable class for `vector`. */
  classIndex?: number;
  /** The players. Default {@link FEATURE_FAMILY_GROUPS}. Slots outside every group always keep `vector`'s values. */
  groups?: readonly SlotGroup[];
}

/** One group's share of the prediction. */
export interface GroupAttribution extends SlotGroup {
  /** Shapley value: change in the explained probability this group accounts for (may be negative). */
  value: number;
}

/** Shapley values of feature families for one prediction. */
export interface FamilyExplanation {
  method: 'exact-shapley-families';
  /** The explained class index (5 classes: critical 0 ... informational 4). */
  classIndex: number;
  /**
   * Expected probability of the class when every group comes from the
   * background: the mean over background rows. `baseValue + Σ value = prediction`.
   */
  baseValue: number;
  /** The model's probability of the class for the explained vector. */
  prediction: number;
  /** One entry per group, in group order. */
  attributions: GroupAttribution[];
  /** Background rows the values were averaged over (1 = a background mean). */
  backgroundRows: number;
  /** Vectors the model scored: 2^groups × backgroundRows. */
  evaluations: number;
}

function bad(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('CS_ERR_VALIDATION', `explainFamilies: ${message}`, { details });
}

function checkGroups(groups: readonly SlotGroup[], dimension: number): void {
  if (groups.length === 0 || groups.length > MAX_SLOT_GROUPS) {
    throw bad(`between 1 and ${MAX_SLOT_GROUPS} groups are allowed, got ${groups.length}`);
  }
  const owner = new Int16Array(dimension).fill(-1);
  groups.forEach((g, gi) => {
    if (
      !(
        Number.isInteger(g.start) &&
        Number.isInteger(g.end) &&
        g.start >= 0 &&
        g.start < g.end &&
        g.end <= dimension
      )
    ) {
      throw bad(`group ${g.name} has slots [${g.start}, ${g.end}), outside [0, ${dimension})`);
    }
    for (let s = g.start; s < g.end; s++) {
      if (owner[s] !== -1) throw bad(`slot ${s} belongs to two groups`, { slot: s });
      owner[s] = gi;
    }
  });
}

/**
 * Exact Shapley values of slot groups (by default the eight feature families)
 * for a model that predicts from feature vectors.
 *
 * The value of a coalition S is the model's probability of the explained class
 * when the groups in S keep the vector's values and the others take a
 * background row's, averaged over the background rows (interventional
 * Shapley; pass one row, the training mean, for the cheap "mean" variant).
 * All 2^groups × rows vectors go to the model in ONE `predictVectors` call,
 * so the cost is one batched prediction (256 vectors per background row for
 * the 8 families). By construction `baseValue + Σ values = prediction` up to
 * float rounding.
 *
 * @throws AppError CS_ERR_VALIDATION when the vector and background rows differ
 *   in length, the background is empty, the groups overlap or leave the vector,
 *   or `classIndex` is not a class of the model; CS_ERR_INTERNAL when the model
 *   returns the wrong number of rows or non-finite probabilities.
 */
export function explainFamilies(
  model: VectorModel,
  vector: Float32Array,
  background: readonly Float32Array[],
  options: FamilyShapleyOptions = {},
): FamilyExplanation {
  const dimension = vector.length;
  const groups = options.groups ?? FEATURE_FAMILY_GROUPS;
  checkGroups(groups, dimension);
  if (background.length === 0) throw bad('the background needs at least one row');
  background.forEach((row, i) => {
    if (row.length !== dimension)
      throw bad(`background row ${i} has ${row.length} slots, the vector ${dimension}`);
  });
  const players = groups.length;
  const coalitions = 2 ** players;
  const rows = background.length;

  // Row (mask * rows + b): vector's values for the groups in `mask`, background row b's elsewhere.
  const batch: Float32Array[] = [];
  for (let mask = 0; mask < coalitions; mask++) {
    for (const b of background) {
      const v = Float32Array.from(vector);
      for (let g = 0; g < players; g++) {
        if ((mask & (1 << g)) === 0) v.set(b.subarray(groups[g]!.start, groups[g]!.end), groups[g]!.start);
      }
      batch.push(v);
    }
  }
  const out = model.predictVectors(batch);
  if (out.length !== batch.length) {
    throw new AppError(
      'CS_ERR_INTERNAL',
      `explainFamilies: the model returned ${out.length} rows for ${batch.length} vectors`,
    );
  }
  const classes = out[0]!.length;
  const fullRow = out[(coalitions - 1) * rows]!;
  const classIndex = options.classIndex ?? argmax(fullRow);
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < classes)) {
    throw bad(`classIndex ${classIndex} is not one of the model's ${classes} classes`);
  }
  const values = new Float64Array(coalitions);
  for (let mask = 0; mask < coalitions; mask++) {
    let sum = 0;
    for (let b = 0; b < rows; b++) {
      const row = out[mask * rows + b]!;
      const p = row[classIndex];
      if (row.length !== classes || p === undefined || !Number.isFinite(p)) {
        throw new AppError(
          'CS_ERR_INTERNAL',
          `explainFamilies: the model returned a malformed row ${mask * rows + b}`,
        );
      }
      sum += p;
    }
    values[mask] = sum / rows;
  }
  const phi = shapleyFromCoalitionValues(players, values);
  return {
    method: 'exact-shapley-families',
    classIndex,
    baseValue: values[0]!,
    prediction: values[coalitions - 1]!,
    attributions: groups.map((g, i) => ({ name: g.name, start: g.start, end: g.end, value: phi[i]! })),
    backgroundRows: rows,
    evaluations: batch.length,
  };
}

/** Index of the largest entry (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
