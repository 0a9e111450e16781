import { AppError } from '../core/index.js';
import { logScale, type SlotDefinition } from './slot.js';

/**
 * What the artefacts know about one source (a feed, a vendor, a CNA short name).
 * Reputation is the probability-like trust in its items' labels: it starts at
 * a prior and moves with analyst feedback through {@link updateSourceReputation}.
 */
export interface SourcePrior {
  /** Trust in [0, 1]; {@link DEFAULT_SOURCE_REPUTATION} until evidence moves it. */
  reputation: number;
  /** Feedback items that moved the reputation so far (0 for a prior). */
  observations: number;
  /** Documents from this source in the corpus the artefacts were fitted on. */
  documents: number;
}

/** The source table carried by the artefacts. */
export interface SourceTable {
  /** Reputation used for sources not in `priors` and for documents without a source. */
  defaultReputation: number;
  /** Largest `documents` over all priors (normalises `source.volume`); 0 when the corpus had no sources. */
  maxDocuments: number;
  /** By normalised key ({@link sourceKey}). */
  priors: ReadonlyMap<string, SourcePrior>;
}

/**
 * Reputation of a source nothing is known about, and the prior of every source
 * seen at fitting time unless the caller gives one: neutral, so the model does
 * not start by trusting or distrusting anybody. `source.known` tells the two apart.
 */
export const DEFAULT_SOURCE_REPUTATION = 0.5;

/** Suggested learning rate of {@link updateSourceReputation}: about 14 corrections halve the distance to the floor. */
export const DEFAULT_REPUTATION_RATE = 0.05;

/** Suggested floor of {@link updateSourceReputation}: no source is ever fully ignored. */
export const DEFAULT_REPUTATION_FLOOR = 0.1;

/** Observations at which `source.confidence` reads 0.5. */
const CONFIDENCE_HALF = 20;

/** Longest source name kept; longer names are cut (they are names, not documents). */
const MAX_SOURCE_LENGTH = 200;

/**
 * Normalises a source name into its lookup key: Unicode NFKC, trimmed, lower
 * case, inner white space collapsed, cut to 200 characters. `undefined` for an
 * empty name.
 */
export function sourceKey(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const key = source.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ').slice(0, MAX_SOURCE_LENGTH);
  return key === '' ? undefined : key;
}

/**
 * One step of reputation learning from analyst feedback on an item of this
 * source. A corrected item (the analyst changed the label) moves the
 * reputation a fraction `rate` of the way down to `floor`; a confirmed item
 * moves it the same fraction up towards 1:
 *
 *   corrected: r' = r - rate · (r - floor)      confirmed: r' = r + rate · (1 - r)
 *
 * so it never leaves [floor, 1] once inside, and a source that is always
 * corrected approaches the floor geometrically (never below it). A reputation
 * starting below the floor is lifted to it. `observations` grows by one.
 * Pure: returns a new prior.
 *
 * @param rate in (0, 1]; suggested {@link DEFAULT_REPUTATION_RATE}.
 * @param floor in [0, 1); suggested {@link DEFAULT_REPUTATION_FLOOR}.
 * @throws AppError CS_ERR_VALIDATION for a rate, floor or reputation outside its range.
 */
export function updateSourceReputation(
  prior: SourcePrior,
  corrected: boolean,
  rate: number,
  floor: number,
): SourcePrior {
  if (!(rate > 0 && rate <= 1)) {
    throw new AppError('CS_ERR_VALIDATION', `Reputation rate must be in (0, 1], got ${rate}`);
  }
  if (!(floor >= 0 && floor < 1)) {
    throw new AppError('CS_ERR_VALIDATION', `Reputation floor must be in [0, 1), got ${floor}`);
  }
  if (!(prior.reputation >= 0 && prior.reputation <= 1)) {
    throw new AppError('CS_ERR_VALIDATION', `Reputation must be in [0, 1], got ${prior.reputation}`);
  }
  const r = Math.max(prior.reputation, floor);
  const next = corrected ? r - rate * (r - floor) : r + rate * (1 - r);
  return { ...prior, reputation: Math.min(1, Math.max(floor, next)), observations: prior.observations + 1 };
}

/** The source family's slots (50-54), in order. */
export const SOURCE_SLOTS: readonly SlotDefinition[] = Object.freeze([
  {
    name: 'source.reputation',
    description: `Reputation of the document's source from the artefacts (prior or learned from feedback); ${DEFAULT_SOURCE_REPUTATION} for unknown or missing sources.`,
    range: [0, 1],
    normalisation: 'as stored',
  },
  {
    name: 'source.known',
    description: 'The source has an entry in the artefacts (seen in the fitting corpus or given a prior).',
    range: [0, 1],
    normalisation: 'flag',
  },
  {
    name: 'source.present',
    description: 'The document names a source at all.',
    range: [0, 1],
    normalisation: 'flag',
  },
  {
    name: 'source.volume',
    description: 'How much of the fitting corpus came from this source (large CNAs vs rare publishers).',
    range: [0, 1],
    normalisation: 'ln(1+documents)/ln(1+largest source documents); 0 when unknown',
  },
  {
    name: 'source.confidence',
    description: 'How much feedback the reputation rests on.',
    range: [0, 1],
    normalisation: `observations/(observations+${CONFIDENCE_HALF}); 0 for a pure prior`,
  },
]);

/** Writes the source slots for `source` into `out` from `offset`. */
export function writeSource(
  source: string | undefined,
  table: SourceTable,
  out: Float32Array,
  offset: number,
): void {
  const key = sourceKey(source);
  const prior = key === undefined ? undefined : table.priors.get(key);
  out[offset] = prior?.reputation ?? table.defaultReputation;
  out[offset + 1] = prior ? 1 : 0;
  out[offset + 2] = key === undefined ? 0 : 1;
  out[offset + 3] = prior && table.maxDocuments > 0 ? logScale(prior.documents, table.maxDocuments, 1) : 0;
  out[offset + 4] = prior ? prior.observations / (prior.observations + CONFIDENCE_HALF) : 0;
}
