import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../core/index.js';
import {
  DEFAULT_SOURCE_REPUTATION,
  type SourcePrior,
  sourceKey,
  updateSourceReputation,
} from '../../features/index.js';
import type {
  FeedbackRepository,
  LearningStateRepository,
  PredictionRepository,
  StoredFeedback,
  StoredReputation,
} from '../../store/index.js';

/** Name of the feedback cursor the reputation learner moves. */
export const REPUTATION_CURSOR = 'source-reputation';

/** Dependencies and settings of a {@link ReputationLearner}. */
export interface ReputationLearnerOptions {
  feedback: Pick<FeedbackRepository, 'listAfter' | 'latestByPrediction'>;
  predictions: Pick<PredictionRepository, 'get' | 'latestByTextSha256'>;
  learning: Pick<LearningStateRepository, 'getCursor' | 'applyReputations' | 'reputations'>;
  clock: Clock;
  /** Fraction of the way to the floor (down) or to 1 (up) one item moves a reputation (REPUTATION_RATE). */
  rate: number;
  /** Lowest reputation (REPUTATION_FLOOR). */
  floor: number;
  /** Feedback items read per step. Default 500. */
  batchSize?: number;
}

/** What one step did. */
export interface ReputationStep {
  /** Feedback items read. */
  read: number;
  /**
   * Of those, items that moved a reputation (they name a source and what the
   * model had predicted, and are not a repeat of the same verdict on a prediction).
   */
  applied: number;
  /** False when another process moved the cursor first (nothing written; the next step retries). */
  committed: boolean;
}

/**
 * Learns source reputations (feature slots 50-54) from analyst feedback, with
 * the features module's documented update: a corrected item (label differs
 * from what the model predicted) moves its source's reputation `rate` of the
 * way down to `floor`, a confirmed one `rate` of the way up to 1. Feedback is
 * consumed once, in storage order, through a cursor that moves in the same
 * transaction as the reputations, so any number of replicas can run steps.
 * The source of a feedback item is that of the prediction it answers (by id,
 * else the latest prediction of the same text); items without one are skipped.
 *
 * Each prediction counts once, with its latest feedback: a later item on a
 * prediction already counted (by `predictionId`) that repeats its verdict
 * changes nothing, and one that reverses it (corrected <-> confirmed) swaps
 * that prediction's step (see {@link reviseVerdict}), moving `corrected` by
 * one; `observations` stays. Every item is still stored and read; the
 * retraining data is not affected. Items without a `predictionId` cannot be
 * matched and each counts.
 */
export class ReputationLearner {
  readonly #o: ReputationLearnerOptions;

  constructor(options: ReputationLearnerOptions) {
    this.#o = options;
  }

  /** Consumes the next batch of feedback. */
  async step(): Promise<ReputationStep> {
    const o = this.#o;
    const cursor = await o.learning.getCursor(REPUTATION_CURSOR);
    const expected = cursor?.position ?? null;
    const batch = await o.feedback.listAfter(expected, o.batchSize ?? 500);
    if (batch.length === 0) return { read: 0, applied: 0, committed: true };
    // The verdict (corrected or not) each prediction counts with so far, from the feedback before this batch.
    const counted = new Map<string, boolean>();
    const linked = [...new Set(batch.flatMap((f) => (f.predictionId === null ? [] : [f.predictionId])))];
    if (expected !== null && linked.length > 0) {
      for (const f of await o.feedback.latestByPrediction(linked, expected)) {
        if (f.predictionId !== null && f.predictedSeverity !== null) {
          counted.set(f.predictionId, f.correctLabel !== f.predictedSeverity);
        }
      }
    }
    const sources = new Map<string, StoredFeedback[]>();
    for (const item of batch) {
      if (item.predictedSeverity === null) continue;
      const source = await this.#sourceOf(item);
      if (source === undefined) continue;
      const list = sources.get(source) ?? [];
      list.push(item);
      sources.set(source, list);
    }
    const known = new Map((await o.learning.reputations([...sources.keys()])).map((r) => [r.source, r]));
    const now = o.clock.now();
    const updates: StoredReputation[] = [];
    let applied = 0;
    for (const [source, items] of sources) {
      const stored = known.get(source);
      let prior: SourcePrior = {
        reputation: stored?.reputation ?? DEFAULT_SOURCE_REPUTATION,
        observations: stored?.observations ?? 0,
        documents: 0,
      };
      let corrected = stored?.corrected ?? 0;
      for (const item of items) {
        const wasCorrected = item.correctLabel !== item.predictedSeverity;
        const before = item.predictionId === null ? undefined : counted.get(item.predictionId);
        if (before === wasCorrected) continue; // the same verdict again: the prediction already counts
        if (before === undefined) {
          prior = updateSourceReputation(prior, wasCorrected, o.rate, o.floor);
          if (wasCorrected) corrected++;
        } else {
          prior = reviseVerdict(prior, wasCorrected, o.rate, o.floor);
          corrected += wasCorrected ? 1 : -1;
        }
        if (item.predictionId !== null) counted.set(item.predictionId, wasCorrected);
        applied++;
      }
      updates.push({
        source,
        reputation: prior.reputation,
        observations: prior.observations,
        corrected,
        updatedAt: now,
      });
    }
    const last = batch[batch.length - 1]!;
    const committed = await o.learning.applyReputations(
      REPUTATION_CURSOR,
      expected,
      {
        position: { createdAt: last.createdAt, id: last.id },
        count: (cursor?.count ?? 0) + batch.length,
        updatedAt: now,
      },
      updates,
    );
    return { read: batch.length, applied: committed ? applied : 0, committed };
  }

  /** Runs steps until the feedback stream is consumed (or `maxSteps` ran). Returns the items applied. */
  async catchUp(maxSteps = 100): Promise<number> {
    let applied = 0;
    for (let i = 0; i < maxSteps; i++) {
      const step = await this.step();
      applied += step.applied;
      if (step.read === 0) break;
      // Each step's lookups are synchronous with SQLite: let requests in between steps.
      await nextTurn();
    }
    return applied;
  }

  /** The learned reputations as source priors (for `withSourcePriors` and training weights), by source key. */
  async priors(): Promise<Map<string, SourcePrior>> {
    const rows = await this.#o.learning.reputations();
    return new Map(
      rows.map((r) => [r.source, { reputation: r.reputation, observations: r.observations, documents: 0 }]),
    );
  }

  async #sourceOf(item: StoredFeedback): Promise<string | undefined> {
    const p =
      (item.predictionId === null ? undefined : await this.#o.predictions.get(item.predictionId)) ??
      (await this.#o.predictions.latestByTextSha256(item.textSha256));
    return sourceKey(p?.source ?? undefined);
  }
}

/**
 * Swaps one earlier step of {@link updateSourceReputation} for the opposite
 * verdict on the same prediction: undoing a confirmation, r = (r' - rate) / (1 - rate),
 * then applying a correction, gives r' - rate · (1 - floor); the reverse swap
 * adds the same. Exact when the swapped step was the source's last; else the
 * new verdict weighs as if just given (the latest evidence). Clamped to
 * [floor, 1]; `observations` is unchanged (the prediction still counts once).
 */
export function reviseVerdict(
  prior: SourcePrior,
  nowCorrected: boolean,
  rate: number,
  floor: number,
): SourcePrior {
  const r = Math.max(prior.reputation, floor);
  const shift = rate * (1 - floor);
  const next = nowCorrected ? r - shift : r + shift;
  return { ...prior, reputation: Math.min(1, Math.max(floor, next)) };
}

/**
 * Base-example weights from learned reputations: a source analysts keep
 * correcting counts less in retraining (weight = reputation / neutral
 * reputation, so 1 at 0.5 and at most 1), others count fully. Keys are source keys.
 */
export function baseWeightsFromReputation(priors: ReadonlyMap<string, SourcePrior>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [source, prior] of priors) {
    if (prior.reputation < DEFAULT_SOURCE_REPUTATION)
      out[source] = prior.reputation / DEFAULT_SOURCE_REPUTATION;
  }
  return out;
}
