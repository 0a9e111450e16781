import { AppError } from '../core/index.js';
import { type Extraction, extractIndicators } from '../extract/index.js';
import type { FeatureArtefacts } from './artefacts.js';
import { writeEmbedding } from './embedding.js';
import { writeEntities } from './entities.js';
import { writeKeywords } from './keywords.js';
import { writePatterns } from './patterns.js';
import { writeSource } from './source.js';
import { FAMILY_SLOTS, FEATURE_DIMENSION, FEATURE_SPEC_VERSION } from './spec.js';
import { writeStatistics } from './statistics.js';
import { parsePublished, writeTemporal } from './temporal.js';
import { writeTone } from './tone.js';

/** What {@link featurize} reads from a document. */
export interface FeatureDocument {
  /** The text (advisory, CVE description, report paragraph). Any string, empty included. */
  text: string;
  /** Publisher: CNA short name, vendor or feed; matched case-insensitively against the artefacts' sources. */
  source?: string;
  /**
   * Publication time: ISO 8601 (`2024-08-01`, `2024-08-01T12:00:00Z`; no offset means UTC) or epoch
   * milliseconds. Unparseable values count as unknown (all temporal slots 0); validate at the edge.
   */
  published?: string | number;
}

/** Everything besides the document that {@link featurize} needs. */
export interface FeaturizeContext {
  /** Fitted artefacts (vocabulary, LSA projection, source table) of the model in use. */
  artefacts: FeatureArtefacts;
  /**
   * "Now" for age and recency, epoch milliseconds. Passed in: featurize never reads the clock.
   * Training and serving must agree on what it means, or the temporal slots shift between them:
   * the API scores items when they arrive (reference = now, age ≈ 0 for fresh items), so a model
   * trained on historical records should featurize each with the time it would have been scored
   * (e.g. its publication time), not with the time of training.
   */
  referenceTime: number;
  /**
   * The document's indicators, when the caller already extracted them (the
   * API does, for its response): saves a second extraction, and carries the
   * warninglist flags that `ent.warninglisted_share` reads. Without it the
   * text is extracted here without warninglists (that slot is then 0). Use
   * the same choice at training and serving time.
   */
  extraction?: Extraction;
}

/**
 * The 128-slot feature vector of a document, laid out as `FEATURE_SPEC`
 * describes (0-49 LSA embedding, 50-54 source, 55-64 temporal, 65-74 entity
 * counts, 75-79 tone, 80-89 statistics, 90-99 keywords, 100-127 patterns).
 * Pure and deterministic: no clock, no I/O; every value is finite and inside
 * its slot's documented range.
 *
 * @throws AppError CS_ERR_VALIDATION when `text` is not a string or `referenceTime` is not finite;
 *   CS_ERR_MODEL_INCOMPATIBLE when the artefacts were fitted for another spec version.
 */
export function featurize(doc: FeatureDocument, ctx: FeaturizeContext): Float32Array {
  if (typeof doc.text !== 'string')
    throw new AppError('CS_ERR_VALIDATION', 'featurize: text must be a string');
  if (!Number.isFinite(ctx.referenceTime)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      `featurize: referenceTime must be finite epoch ms, got ${ctx.referenceTime}`,
    );
  }
  if (ctx.artefacts.featureSpecVersion !== FEATURE_SPEC_VERSION) {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `Feature artefacts were fitted for spec ${ctx.artefacts.featureSpecVersion}, this build computes ${FEATURE_SPEC_VERSION}`,
    );
  }
  const out = new Float32Array(FEATURE_DIMENSION);
  const text = doc.text;
  const lower = text.toLowerCase();
  writeEmbedding(lower, ctx.artefacts, out, FAMILY_SLOTS.embedding[0]);
  writeSource(doc.source, ctx.artefacts.sources, out, FAMILY_SLOTS.source[0]);
  writeTemporal(parsePublished(doc.published), ctx.referenceTime, out, FAMILY_SLOTS.temporal[0]);
  writeEntities(ctx.extraction ?? extractIndicators(text), out, FAMILY_SLOTS.entities[0]);
  writeTone(lower, out, FAMILY_SLOTS.tone[0]);
  writeStatistics(text, lower, out, FAMILY_SLOTS.statistics[0]);
  writeKeywords(lower, out, FAMILY_SLOTS.keywords[0]);
  writePatterns(lower, out, FAMILY_SLOTS.patterns[0]);
  return out;
}
