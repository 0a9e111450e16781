import { join } from 'node:path';
import { defaultAssetsDir } from '../assets/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { Store } from '../store/index.js';
import { JobRunner } from './jobs/job-runner.js';
import { type ModelChangePreparer, ModelRegistry } from './registry/model-registry.js';
import { baseWeightsFromReputation, ReputationLearner } from './reputation/reputation-learner.js';
import { RetrainJob } from './retrain/retrain-job.js';
import type { CandidateTrainer } from './retrain/train-spec.js';
import { type LearningSettings, learningSettingsFrom } from './settings.js';

/** The shipped gate holdout: `assets/learning/gate-holdout.jsonl.gz` (scripts/build-gate-holdout.ts). */
export function defaultHoldoutPath(): string {
  return join(defaultAssetsDir(), 'learning', 'gate-holdout.jsonl.gz');
}

/** Where the shipped severity model lives: `MODELS_DIR/severity`. */
export function shippedModelDir(config: Pick<Config, 'MODELS_DIR'>): string {
  return join(config.MODELS_DIR, 'severity');
}

/** A structured logger (pino's signature). */
export interface LearningLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What {@link createLearningCore} needs. */
export interface LearningCoreOptions {
  store: Store;
  config: Config;
  clock: Clock;
  /** Where the CPU part of retraining runs (child process, or this thread). */
  trainer: CandidateTrainer;
  /** This process's identity as lease owner (host:pid:random). */
  owner: string;
  /** Told after every registry status change (e.g. Redis pub/sub). */
  onRegistryChange?: (family: string) => Promise<void> | void;
  /** Loads and checks a version before a promotion or rollback makes it serve (see `ModelRegistryOptions.prepare`). */
  prepareRegistryChange?: ModelChangePreparer;
  logger?: LearningLogger;
}

/** The parts of the loop every process kind (API, worker, CLI) shares. */
export interface LearningCore {
  settings: LearningSettings;
  registry: ModelRegistry;
  reputation: ReputationLearner;
  retrainJob: RetrainJob;
  runner: JobRunner;
  holdoutPath: string;
}

/**
 * Composes the registry, reputation learner, retraining job and job runner
 * from the store and the configuration (the learning counterpart of
 * `openStore`; `src/main` and the CLI call it, nothing runs on import).
 */
export function createLearningCore(o: LearningCoreOptions): LearningCore {
  const settings = learningSettingsFrom(o.config);
  const registry = new ModelRegistry({
    models: o.store.models,
    clock: o.clock,
    dataDir: o.config.DATA_DIR,
    shippedDir: shippedModelDir(o.config),
    ...(o.onRegistryChange === undefined ? {} : { onChange: o.onRegistryChange }),
    ...(o.prepareRegistryChange === undefined ? {} : { prepare: o.prepareRegistryChange }),
  });
  const reputation = new ReputationLearner({
    feedback: o.store.feedback,
    predictions: o.store.predictions,
    learning: o.store.learning,
    clock: o.clock,
    rate: settings.reputationRate,
    floor: settings.reputationFloor,
  });
  const holdoutPath = settings.holdout ?? defaultHoldoutPath();
  const retrainJob = new RetrainJob({
    store: o.store,
    registry,
    clock: o.clock,
    settings,
    holdoutPath,
    trainer: o.trainer,
    sourceWeights: async () => {
      await reputation.catchUp();
      return baseWeightsFromReputation(await reputation.priors());
    },
  });
  const runner = new JobRunner({
    jobs: o.store.jobs,
    learning: o.store.learning,
    clock: o.clock,
    owner: o.owner,
    execute: (job, progress, signal) => retrainJob.run(job, progress, signal),
    onError: (err) => o.logger?.warn({ err }, 'learning job bookkeeping failed'),
  });
  return { settings, registry, reputation, retrainJob, runner, holdoutPath };
}
