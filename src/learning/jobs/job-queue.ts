import type { StoredLearningJob } from '../../store/index.js';
import type { RetrainRequest } from './retrain-request.js';

/**
 * Where retraining jobs go. Two implementations: {@link InProcessJobQueue}
 * (default; jobs run in this process, training in a child process) and
 * {@link BullMqJobQueue} (REDIS_URL set; `cyberstreams worker` runs them).
 * Both record every job in the store, so its status and progress are visible
 * to every replica and the CLI.
 */
export interface JobQueue {
  /** `in-process` or `bullmq`. */
  readonly kind: 'in-process' | 'bullmq';
  /**
   * Queues a retraining unless one for the family is already queued (then
   * that job is returned, `created: false`): triggers from several replicas
   * collapse into one job.
   */
  enqueue(request: RetrainRequest): Promise<{ job: StoredLearningJob; created: boolean }>;
  /**
   * Stops taking jobs; the in-process queue also aborts the running one and
   * resolves once it is stored queued again (attempt not counted), so the
   * store may be closed right after.
   */
  close(): Promise<void>;
}
