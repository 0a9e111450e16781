import type { LearningHttpDeps } from '../../../src/http/index.js';
import type { StoredLearningJob, StoredModelVersion } from '../../../src/store/index.js';

/** A registered version for the fake registry. */
export function version(v: string, status: StoredModelVersion['status'] = 'active'): StoredModelVersion {
  return {
    family: 'hashed-ngram',
    version: v,
    status,
    parentVersion: null,
    artefactDir: `/models/${v}`,
    trainingDataSha256: '0'.repeat(64),
    metrics: {},
    manifest: {},
    evaluation: null,
    createdAt: 1,
    statusChangedAt: 1,
  };
}

/** A queued job for the fake queue. */
export function job(id: string): StoredLearningJob {
  return {
    id,
    family: 'hashed-ngram',
    trigger: 'manual',
    requestedBy: null,
    payload: { reason: 'test', settings: {} },
    status: 'queued',
    progress: 0,
    message: null,
    attempts: 0,
    result: null,
    error: null,
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    updatedAt: 1,
  } as StoredLearningJob;
}

/**
 * The model and review routes' dependencies, faked: each call is recorded in
 * `calls` (method and arguments) so tests see what the routes asked for.
 */
export function fakeLearning(): { deps: LearningHttpDeps; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const record =
    <T>(name: string, answer: (...args: unknown[]) => T) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
      return answer(...args);
    };
  const v1 = version('v1');
  const v2 = version('v2', 'candidate');
  const deps = {
    servingFamily: 'hashed-ngram',
    registry: {
      list: record('registry.list', () => [v1, v2]),
      active: record('registry.active', () => v1),
      find: record('registry.find', (ver) => (ver === 'v2' ? v2 : v1)),
      history: record('registry.history', () => []),
      promote: record('registry.promote', () => ({ changed: { ...v2, status: 'active' }, demoted: v1 })),
      demote: record('registry.demote', () => ({ changed: v2, demoted: null })),
      rollback: record('registry.rollback', () => ({ changed: v1, demoted: v2 })),
    },
    queue: { enqueue: record('queue.enqueue', () => ({ job: job('j1'), created: true })) },
    jobs: { get: record('jobs.get', () => job('j1')), list: record('jobs.list', () => [job('j1')]) },
    review: { list: record('review.list', () => []) },
    canaryShare: () => 0,
    experiments: record('experiments', () => []),
    drift: () => null,
    reputations: record('reputations', () => []),
  } as unknown as LearningHttpDeps;
  return { deps, calls };
}
