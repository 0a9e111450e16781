import type { StoredLearningJob, StoredModelVersion } from '../../store/index.js';

const iso = (t: number) => new Date(t).toISOString();

/**
 * A registry version as the CLI (`models list --json`) and `GET /api/v1/models`
 * show it: the contract fields (version, family, status, metrics, parent,
 * createdAt) plus when its status last changed and its training-data hash;
 * times as ISO 8601.
 */
export function versionView(v: StoredModelVersion) {
  return {
    version: v.version,
    family: v.family,
    status: v.status,
    metrics: v.metrics,
    parent: v.parentVersion,
    createdAt: iso(v.createdAt),
    statusChangedAt: iso(v.statusChangedAt),
    trainingDataSha256: v.trainingDataSha256,
  };
}

/** A learning job as the CLI and `GET /api/v1/models/jobs` show it; times as ISO 8601, null until they happen. */
export function jobView(j: StoredLearningJob) {
  return {
    id: j.id,
    family: j.family,
    trigger: j.trigger,
    requestedBy: j.requestedBy,
    status: j.status,
    progress: j.progress,
    message: j.message,
    attempts: j.attempts,
    error: j.error,
    result: j.result,
    createdAt: iso(j.createdAt),
    startedAt: j.startedAt === null ? null : iso(j.startedAt),
    finishedAt: j.finishedAt === null ? null : iso(j.finishedAt),
  };
}
