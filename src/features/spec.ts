import { ENTITY_SLOTS } from './entities.js';
import { KEYWORD_SLOTS } from './keywords.js';
import { PATTERN_SLOTS } from './patterns.js';
import { FEATURE_FAMILIES, type FeatureFamily, type FeatureSlot, type SlotDefinition } from './slot.js';
import { SOURCE_SLOTS } from './source.js';
import { STATISTICS_SLOTS } from './statistics.js';
import { TEMPORAL_SLOTS } from './temporal.js';
import { TONE_SLOTS } from './tone.js';

/**
 * Version of the vector layout and of what every slot means. Bump it whenever
 * a slot's name, meaning, normalisation, lexicon or rule changes: models and
 * artefacts record it and a mismatch refuses them (their weights expect the old
 * meaning). `spec.test.ts` pins a fingerprint of the names to catch forgotten bumps.
 */
export const FEATURE_SPEC_VERSION = '1';

/** Length of every feature vector. */
export const FEATURE_DIMENSION = 128;

/** Number of text-embedding (LSA) dimensions, slots 0-49. */
export const EMBEDDING_DIMENSIONS = 50;

/** Where each family lives: `[start, end)` slot indexes (the service's documented layout). */
export const FAMILY_SLOTS: Readonly<Record<FeatureFamily, readonly [number, number]>> = Object.freeze({
  embedding: [0, 50],
  source: [50, 55],
  temporal: [55, 65],
  entities: [65, 75],
  tone: [75, 80],
  statistics: [80, 90],
  keywords: [90, 100],
  patterns: [100, 128],
});

const EMBEDDING_SLOTS: readonly SlotDefinition[] = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => ({
  name: `emb.lsa_${String(i).padStart(2, '0')}`,
  description: `Latent semantic component ${i} of the text: projection of its L2-normalised TF-IDF vector (words and bigrams) on the ${ordinal(i + 1)} right singular vector of the fitting corpus. 0 when the corpus had fewer components.`,
  range: [-10, 10],
  normalisation:
    'projection divided by the component root-mean-square over the fitting corpus (unit RMS on the corpus), clipped to ±10',
}));

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

const DEFINITIONS: Readonly<Record<FeatureFamily, readonly SlotDefinition[]>> = {
  embedding: EMBEDDING_SLOTS,
  source: SOURCE_SLOTS,
  temporal: TEMPORAL_SLOTS,
  entities: ENTITY_SLOTS,
  tone: TONE_SLOTS,
  statistics: STATISTICS_SLOTS,
  keywords: KEYWORD_SLOTS,
  patterns: PATTERN_SLOTS,
};

/** The feature spec: its version and the 128 slots in index order. */
export interface FeatureSpec {
  version: string;
  dimension: number;
  families: Readonly<Record<FeatureFamily, readonly [number, number]>>;
  slots: readonly FeatureSlot[];
}

/**
 * Lays each family's definitions into its slots; the rest of a family's range
 * becomes reserved zeros named `<family>.reserved_<index>`. A family with more
 * definitions than slots is a programming error caught by `spec.test.ts`
 * (the extra ones are left out here so that importing never throws).
 */
function assemble(): FeatureSlot[] {
  const slots: FeatureSlot[] = [];
  for (const family of FEATURE_FAMILIES) {
    const [start, end] = FAMILY_SLOTS[family];
    const defs = DEFINITIONS[family];
    for (let index = start; index < end; index++) {
      const def = defs[index - start];
      slots.push(
        def
          ? { ...def, index, family, reserved: false }
          : {
              name: `${family}.reserved_${index}`,
              description: 'Reserved for a later spec version; always 0.',
              range: [0, 0],
              normalisation: 'constant 0',
              index,
              family,
              reserved: true,
            },
      );
    }
  }
  return slots;
}

/** The one feature spec of this build. */
export const FEATURE_SPEC: FeatureSpec = Object.freeze({
  version: FEATURE_SPEC_VERSION,
  dimension: FEATURE_DIMENSION,
  families: FAMILY_SLOTS,
  slots: Object.freeze(assemble().map((s) => Object.freeze(s))),
});

/** The family definitions before layout, for the spec test (a family may not outgrow its slots). */
export function familyDefinitionCounts(): Record<FeatureFamily, number> {
  return Object.fromEntries(FEATURE_FAMILIES.map((f) => [f, DEFINITIONS[f].length])) as Record<
    FeatureFamily,
    number
  >;
}
