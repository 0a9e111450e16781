import type {
  DriftReport,
  ExperimentReport,
  JobQueue,
  ModelRegistry,
  ReviewQueue,
} from '../learning/index.js';
import type { LearningJobRepository, StoredReputation } from '../store/index.js';

/**
 * What the model, review and drift routes need from the self-learning loop;
 * `src/main` builds it (see `src/main/learning.ts`). Absent from `AppDeps`:
 * those routes are not served.
 */
export interface LearningHttpDeps {
  /** The family this service answers with, or null when no model is registered. */
  servingFamily: string | null;
  registry: ModelRegistry;
  queue: Pick<JobQueue, 'enqueue'>;
  jobs: Pick<LearningJobRepository, 'get' | 'list'>;
  review: ReviewQueue;
  /** The canary's share of traffic now. */
  canaryShare(): number;
  /** Reports of the running canary and shadow experiments (none when neither runs). */
  experiments(): Promise<ExperimentReport[]>;
  /** Drift of this replica's live traffic against the active model's reference, or null. */
  drift(): DriftReport | null;
  /** Source reputations learnt from feedback (feature slots 50-54), by source key. */
  reputations(): Promise<StoredReputation[]>;
}
