/**
 * Small shared state of the self-learning loop that several processes (API
 * replicas, workers, the CLI) must agree on: leases that keep one training per
 * family, cursors over the feedback stream, and learned source reputations.
 */

/** A position in the feedback stream (storage order: creation time, then id). */
export interface FeedbackPosition {
  createdAt: number;
  id: string;
}

/** How far a consumer of the feedback stream has read. */
export interface LearningCursor {
  /** The last item consumed, or null before the first. */
  position: FeedbackPosition | null;
  /** Items consumed so far. */
  count: number;
  /** When it last moved (ms since the epoch). */
  updatedAt: number;
}

/** A source's learned reputation (the features module's `SourcePrior` without corpus counts). */
export interface StoredReputation {
  /** Normalised source key (the features module's `sourceKey`). */
  source: string;
  /** In [0, 1]. */
  reputation: number;
  /** Feedback items that moved it. */
  observations: number;
  /** Of those, how many corrected the model. */
  corrected: number;
  updatedAt: number;
}

/** Persistence of the loop's shared state. */
export interface LearningStateRepository {
  /**
   * Takes (or renews) the lease `name` for `owner` until `now + ttlMs` when it
   * is free, expired or already held by `owner`. True when `owner` holds it afterwards.
   */
  tryLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it; otherwise does nothing. */
  releaseLock(name: string, owner: string): Promise<void>;
  /** The cursor, or undefined before its first move. */
  getCursor(name: string): Promise<LearningCursor | undefined>;
  /**
   * Moves a cursor from `expected` (null: never moved) to `next`, atomically;
   * false when another process moved it first (nothing is changed then).
   */
  moveCursor(name: string, expected: FeedbackPosition | null, next: LearningCursor): Promise<boolean>;
  /**
   * Moves a cursor like {@link moveCursor} and, in the same transaction,
   * upserts reputations; false (and nothing written) when the cursor moved meanwhile.
   */
  applyReputations(
    cursor: string,
    expected: FeedbackPosition | null,
    next: LearningCursor,
    updates: readonly StoredReputation[],
  ): Promise<boolean>;
  /** Learned reputations of these source keys (all when absent), by key order. */
  reputations(sources?: readonly string[]): Promise<StoredReputation[]>;
  /** Feedback items stored after `after` (all when null). */
  countFeedbackAfter(after: FeedbackPosition | null): Promise<number>;
}
