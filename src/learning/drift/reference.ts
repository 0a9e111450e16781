import Type, { type Static } from 'typebox';
import { validate } from '../../core/index.js';
import { FEATURE_SPEC } from '../../features/index.js';
import { binCounts, quantileCuts } from './psi.js';

/** File name of the drift reference inside a model directory. */
export const DRIFT_REFERENCE_FILE = 'drift-reference.json';

const SlotReferenceSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    name: Type.String(),
    family: Type.String(),
    /** KS applies (a continuous or count slot, not a flag or reserved slot). */
    numeric: Type.Boolean(),
    /** Interior quantile cut points, ascending. */
    cuts: Type.Array(Type.Number()),
    /** Reference proportion per bin (cuts.length + 1 entries). */
    proportions: Type.Array(Type.Number({ minimum: 0, maximum: 1 })),
    /** Evenly spaced order statistics of the reference values, ascending (the KS reference sample). */
    sample: Type.Array(Type.Number()),
  },
  { additionalProperties: false },
);

/**
 * On-disk format of `drift-reference.json`, version 1: the training data's
 * distribution per feature slot and of the predicted classes, saved next to
 * the model so live traffic can be compared with what the model learnt from.
 */
export const DriftReferenceV1Schema = Type.Object(
  {
    formatVersion: Type.Literal(1),
    /** The feature spec the vectors follow. */
    featureSpecVersion: Type.String({ minLength: 1 }),
    /** What the reference was computed from (e.g. "training examples of r2026..."). */
    description: Type.String(),
    /** Vectors it was computed from. */
    examples: Type.Integer({ minimum: 0 }),
    /** Class order of `classMix`. */
    classes: Type.Array(Type.String(), { minItems: 2 }),
    /** Share of each predicted class on the reference data. */
    classMix: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 2 }),
    /** Per slot (empty when no feature vectors were available). */
    slots: Type.Array(SlotReferenceSchema),
    /**
     * Feature artefacts (relative path in the model directory) the vectors were
     * computed with, when the model itself has none; null: the model's own.
     */
    featuresFile: Type.Union([Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }), Type.Null()]),
  },
  { additionalProperties: false },
);

/** A drift reference as stored. */
export type DriftReference = Static<typeof DriftReferenceV1Schema>;

/** Checks a parsed `drift-reference.json`; CS_ERR_ARTEFACT_INVALID when malformed. */
export function parseDriftReference(raw: unknown, where = DRIFT_REFERENCE_FILE): DriftReference {
  return validate(DriftReferenceV1Schema, raw, where, 'CS_ERR_ARTEFACT_INVALID');
}

/** Options of {@link buildDriftReference}. */
export interface DriftReferenceOptions {
  /** Quantile bins per slot. Default 10. */
  bins?: number;
  /** Size of the KS reference sample per slot. Default 200. */
  sampleSize?: number;
  classes: readonly string[];
  description: string;
  featuresFile: string | null;
}

/**
 * Builds a drift reference from the reference vectors (128 slots each, may be
 * empty) and the predicted class index of each reference example. Pure and
 * deterministic (order statistics, no sampling).
 */
export function buildDriftReference(
  vectors: readonly Float32Array[],
  predictedClasses: readonly number[],
  options: DriftReferenceOptions,
): DriftReference {
  const bins = options.bins ?? 10;
  const sampleSize = options.sampleSize ?? 200;
  const classCounts = new Array<number>(options.classes.length).fill(0);
  for (const c of predictedClasses) if (c >= 0 && c < classCounts.length) classCounts[c]!++;
  const total = predictedClasses.length;
  const slots: DriftReference['slots'] = [];
  if (vectors.length > 0) {
    const column = new Float64Array(vectors.length);
    for (const slot of FEATURE_SPEC.slots) {
      for (let i = 0; i < vectors.length; i++) column[i] = vectors[i]![slot.index]!;
      column.sort();
      const cuts = quantileCuts(column, bins);
      const counts = binCounts(cuts, column);
      const size = Math.min(sampleSize, column.length);
      const sample = Array.from(
        { length: size },
        (_, k) => column[Math.floor(((k + 0.5) * column.length) / size)]!,
      );
      slots.push({
        index: slot.index,
        name: slot.name,
        family: slot.family,
        numeric: !slot.reserved && slot.normalisation !== 'flag',
        cuts,
        proportions: counts.map((c) => c / column.length),
        sample,
      });
    }
  }
  return {
    formatVersion: 1,
    featureSpecVersion: FEATURE_SPEC.version,
    description: options.description,
    examples: Math.max(vectors.length, total),
    classes: [...options.classes],
    classMix: classCounts.map((c) => (total === 0 ? 1 / classCounts.length : c / total)),
    slots,
    featuresFile: options.featuresFile,
  };
}
