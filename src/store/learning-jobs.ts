/**
 * Records of the self-learning loop's background jobs (retraining), so their
 * status and progress are visible from any API replica and the CLI, whichever
 * queue (in process or BullMQ) runs them.
 */

/** Where a job is in its life. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job to record. Times are milliseconds since the Unix epoch. */
export interface NewLearningJob {
  /** Unique id (a UUID). */
  id: string;
  /** What the job does; `retrain` so far. */
  kind: string;
  /** Model family it works on. */
  family: string;
  /** What asked for it: `manual`, `feedback`, `schedule`, `drift`. */
  trigger: string;
  /** Who asked (`cli`, `api:<key id>`, `system`), or null. */
  requestedBy: string | null;
  /** Job parameters, JSON-safe. */
  payload: unknown;
  createdAt: number;
}

/** A stored job. */
export interface StoredLearningJob extends NewLearningJob {
  status: JobStatus;
  /** 0..1. */
  progress: number;
  /** What it is doing now, or the outcome in one line. */
  message: string | null;
  /** Runs started so far (retries count). */
  attempts: number;
  /** The outcome, JSON-safe, once succeeded. */
  result: unknown;
  /** Why it failed, once failed (or why the last attempt failed). */
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

/** Fields a job update may change; absent fields stay. */
export interface LearningJobPatch {
  status?: JobStatus;
  progress?: number;
  message?: string | null;
  attempts?: number;
  result?: unknown;
  error?: string | null;
  startedAt?: number | null;
  finishedAt?: number | null;
}

/** Persistence of job records. */
export interface LearningJobRepository {
  /**
   * Records a new queued job, unless a job of the same kind and family is
   * already queued: then that one is returned with `created: false` (triggers
   * from several replicas collapse into one job). Serialised per family.
   */
  createUnlessQueued(job: NewLearningJob): Promise<{ job: StoredLearningJob; created: boolean }>;
  /** The job, or undefined. */
  get(id: string): Promise<StoredLearningJob | undefined>;
  /** Newest first, at most `limit`, of one family when given. */
  list(options: { family?: string; limit: number }): Promise<StoredLearningJob[]>;
  /** Applies a patch and returns the job. CS_ERR_NOT_FOUND for an unknown id. */
  update(id: string, patch: LearningJobPatch, at: number): Promise<StoredLearningJob>;
  /** Jobs in one of these statuses, oldest first (recovery after a restart). */
  withStatus(statuses: readonly JobStatus[]): Promise<StoredLearningJob[]>;
}
