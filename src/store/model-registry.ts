import { AppError } from '../core/index.js';

/**
 * The model registry's records: every model version the service knows, with
 * its lineage, training-data hash, holdout figures and status, and an
 * append-only history of status changes (who or what changed it, when, why).
 * The artefacts themselves live on disk (`artefactDir`); only records are here.
 */

/** Life cycle of a model version. `active`, `canary` and `shadow` are held by at most one version per family. */
export const MODEL_STATUSES = ['candidate', 'shadow', 'canary', 'active', 'retired'] as const;

/** One of {@link MODEL_STATUSES}. */
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** Statuses at most one version of a family holds at a time (enforced by unique partial indexes). */
export const SINGLETON_STATUSES: readonly ModelStatus[] = ['active', 'canary', 'shadow'];

/** A model version to register. Times are milliseconds since the Unix epoch. */
export interface NewModelVersion {
  /** Model family (the manifest's `family`). */
  family: string;
  /** The manifest's `version`; unique within the family. */
  version: string;
  /** Initial status, usually `candidate` (the shipped model registers as `active`). */
  status: ModelStatus;
  /** The version it was retrained from, or null. */
  parentVersion: string | null;
  /** Absolute directory of the model files (read-only for the shipped model). */
  artefactDir: string;
  /** SHA-256 (hex) of the training data, from the manifest. */
  trainingDataSha256: string;
  /** Holdout figures (macroF1, accuracy, ...) measured by the registry's evaluation or taken from the manifest. */
  metrics: Readonly<Record<string, number>>;
  /** The manifest as JSON-safe data. */
  manifest: unknown;
  /** The gate's evaluation and decision (JSON-safe), or null when none was made. */
  evaluation: unknown;
  createdAt: number;
  /** Who registered it (`system`, `retrain-job:<id>`, `cli`, `api:<key id>`), recorded in the history. */
  actor: string;
  /** Why, recorded in the history. */
  reason: string;
}

/** A registered model version as read back. */
export interface StoredModelVersion {
  family: string;
  version: string;
  status: ModelStatus;
  parentVersion: string | null;
  artefactDir: string;
  trainingDataSha256: string;
  metrics: Record<string, number>;
  manifest: unknown;
  evaluation: unknown;
  createdAt: number;
  /** When the status last changed (ms since the epoch). */
  statusChangedAt: number;
}

/** One row of the append-only status history. */
export interface ModelStatusChange {
  /** Increasing sequence number (storage order). */
  seq: number;
  family: string;
  version: string;
  /** Null for the registration itself. */
  fromStatus: ModelStatus | null;
  toStatus: ModelStatus;
  actor: string;
  reason: string;
  at: number;
}

/** A status change to apply atomically. */
export interface ModelTransition {
  family: string;
  version: string;
  to: ModelStatus;
  actor: string;
  reason: string;
  at: number;
  /** Refuse (CS_ERR_CONFLICT) unless the version is in one of these statuses now. Absent: any but `to`. */
  expectedFrom?: readonly ModelStatus[];
  /**
   * For a singleton `to` (active, canary, shadow): what the version holding it
   * now becomes. Default `retired`.
   */
  demoteTo?: ModelStatus;
}

/** What a transition changed. */
export interface ModelTransitionResult {
  /** The version, with its new status. */
  changed: StoredModelVersion;
  /** The version that held the singleton status before, with its new status; null when none did. */
  demoted: StoredModelVersion | null;
}

/** Persistence of the model registry. */
export interface ModelRegistryRepository {
  /**
   * Registers a version and writes its first history row, in one transaction.
   * CS_ERR_CONFLICT when the version exists or when a singleton status is taken.
   */
  register(record: NewModelVersion): Promise<StoredModelVersion>;
  /** The version, or undefined. */
  get(family: string, version: string): Promise<StoredModelVersion | undefined>;
  /** All versions (of one family when given), oldest first. */
  list(family?: string): Promise<StoredModelVersion[]>;
  /** The versions of a family with this status, newest first. */
  withStatus(family: string, status: ModelStatus): Promise<StoredModelVersion[]>;
  /**
   * Changes a version's status and, for a singleton status, demotes the
   * current holder, writing one history row per change, all in one
   * transaction serialised per family. CS_ERR_NOT_FOUND for an unknown
   * version; CS_ERR_CONFLICT when it already has `to` or is not in `expectedFrom`.
   */
  transition(t: ModelTransition): Promise<ModelTransitionResult>;
  /** Replaces the stored evaluation (the gate's figures and reasons). CS_ERR_NOT_FOUND for an unknown version. */
  setEvaluation(family: string, version: string, evaluation: unknown): Promise<void>;
  /** Status history (of one version when given), in storage order. */
  history(family: string, version?: string): Promise<ModelStatusChange[]>;
}

/** Throws CS_ERR_CONFLICT when `t` does not apply to the version as it is now. Shared by both backends. */
export function checkTransition(current: StoredModelVersion, t: ModelTransition): void {
  if (current.status === t.to) {
    throw new AppError('CS_ERR_CONFLICT', `${t.family}/${t.version} is already ${t.to}`, {
      details: { currentStatus: current.status },
    });
  }
  if (t.expectedFrom !== undefined && !t.expectedFrom.includes(current.status)) {
    throw new AppError(
      'CS_ERR_CONFLICT',
      `${t.family}/${t.version} is ${current.status}, expected ${t.expectedFrom.join(' or ')}`,
      { details: { currentStatus: current.status, expected: t.expectedFrom } },
    );
  }
}
