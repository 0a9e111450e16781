import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { AppError, type Clock, isAppError, systemClock } from '../core/index.js';
import {
  type LearningHttpDeps,
  LearningMetrics,
  type Predictor,
  type PredictorInput,
  type PredictorOutput,
  type ServiceMetrics,
} from '../http/index.js';
import {
  BullMqJobQueue,
  buildExperimentReport,
  type CandidateTrainer,
  ChildProcessTrainer,
  createLearningCore,
  DriftTracker,
  driftVector,
  ensureShippedRegistered,
  InProcessJobQueue,
  inlineTrainer,
  type JobQueue,
  type LearningCore,
  type LoadedVariant,
  type ModelChangePreparer,
  ModelRouter,
  ModelWatcher,
  ObservationBuffer,
  RedisModelEvents,
  RetrainTriggers,
  ReviewQueue,
  readDriftSupport,
  shippedModelDir,
} from '../learning/index.js';
import { loadSeverityModel, readManifest } from '../model/index.js';
import type { Store, StoredLearningJob, StoredModelVersion } from '../store/index.js';
import type { LoadedSeverityModel, ServicePredictor } from './predictor.js';

/** The child process entry that trains candidates (this file's sibling, `.ts` under tsx, `.js` when built). */
export function trainChildEntry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./train-child.${ext}`, import.meta.url);
}

/** The trainer the configuration asks for: a child process (default) or this thread. */
export function trainerFor(config: Pick<Config, 'RETRAIN_IN_CHILD_PROCESS'>): CandidateTrainer {
  return config.RETRAIN_IN_CHILD_PROCESS ? new ChildProcessTrainer(trainChildEntry()) : inlineTrainer;
}

/** This process's identity as a lease owner. */
export function processOwner(kind: string): string {
  return `${kind}:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** What {@link startServingLearning} needs. */
export interface ServingLearningOptions {
  config: Config;
  store: Store;
  /** The connected client when REDIS_URL is set. */
  redis: Redis | undefined;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Builds the service's predictor (extraction, techniques, ...) around one severity model. */
  variant: (severity: LoadedSeverityModel) => ServicePredictor;
  clock?: Clock;
}

/** The self-learning loop as an API replica runs it. */
export interface ServingLearning {
  /** The predictor the routes use: active model, canary share, shadow scoring. */
  predictor: Predictor;
  /** For `buildApp({ learning })`. */
  http: LearningHttpDeps;
  core: LearningCore;
  queue: JobQueue;
  /** Starts the timers (hot-swap polling, triggers, reputation learning, drift checks). */
  start(): void;
  close(): Promise<void>;
}

/**
 * Wires the self-learning loop into an API replica: registers the shipped
 * model on a fresh data dir, serves the registry's active model through a
 * router (canary share, shadow scoring, paired observations), keeps it in
 * line with the registry (polling, and Redis pub/sub when configured), queues
 * retraining (in process, training in a child process; or BullMQ with
 * REDIS_URL), triggers it (feedback count, schedule, drift alarm), learns
 * source reputations, and measures drift.
 */
export async function startServingLearning(o: ServingLearningOptions): Promise<ServingLearning> {
  const { config, store, logger } = o;
  const clock = o.clock ?? systemClock;
  const owner = processOwner('api');
  const events = o.redis === undefined ? undefined : new RedisModelEvents(o.redis, config.REDIS_PREFIX);
  // Set once the watcher exists: a change made through this replica (API promote, rollback) swaps here at once.
  let swapHere: (family: string) => void = () => {};
  // Set once the loader exists: a promotion or rollback through this replica first loads the version here.
  let prepareHere: ModelChangePreparer = async () => undefined;
  const core = createLearningCore({
    store,
    config,
    clock,
    trainer: trainerFor(config),
    owner,
    logger,
    prepareRegistryChange: (version, to) => prepareHere(version, to),
    onRegistryChange: async (changed: string) => {
      swapHere(changed);
      await events
        ?.publish(changed)
        .catch((err) => logger.warn({ err }, 'announcing a model change on Redis failed'));
    },
  });
  const shipped = await ensureShippedRegistered({
    registry: core.registry,
    shippedDir: shippedModelDir(config),
    holdoutPath: core.holdoutPath,
    now: clock.now(),
  });
  const actives = (await core.registry.list()).filter((v) => v.status === 'active');
  const family = shipped?.family ?? (actives.length === 1 ? actives[0]!.family : null);
  if (family === null)
    logger.warn({ actives: actives.length }, 'no model family to serve: predictions answer 503');

  let learningMetrics: LearningMetrics | undefined;
  const observations = new ObservationBuffer({
    repo: store.experiments,
    onError: (err) => logger.warn({ err }, 'storing experiment observations failed; kept for the next try'),
  });
  const drift = new DriftTracker<PredictorInput>({
    window: core.settings.driftWindow,
    minSamples: core.settings.driftMinSamples,
    psiAlarm: core.settings.driftPsiAlarm,
    maxPerSecond: core.settings.driftMaxPerSecond,
    alarmFamilies: core.settings.driftAlarmFamilies,
    clock,
    checkIntervalMs: Math.max(core.settings.modelPollMs, 1_000),
    onError: (err) => logger.warn({ err }, 'featurizing a prediction for drift failed'),
    onAlarm: (report) => {
      if (core.settings.retrainOnDrift) void triggers?.drift(`drift alarm: ${report.reasons.join('; ')}`);
    },
  });
  const router = new ModelRouter<PredictorInput, PredictorOutput>({
    canaryShare: core.settings.canaryShare,
    now: () => clock.now(),
    onObservation: (obs) => {
      observations.add(obs);
      learningMetrics?.experimentObservations.inc({ role: obs.role });
    },
    onActiveAnswer: (input, output) => drift.observe(input, output),
    onBackgroundError: (err, slot) => logger.warn({ err, slot }, 'background scoring failed'),
  });

  // The shipped model is read from this build's MODELS_DIR, wherever it was when it was registered.
  const dirOf = (record: StoredModelVersion) => core.registry.artefactDirOf(record);
  const load = async (
    record: StoredModelVersion,
  ): Promise<LoadedVariant<PredictorInput, PredictorOutput>> => {
    const dir = await dirOf(record);
    const [model, manifest] = await Promise.all([loadSeverityModel(dir), readManifest(dir)]);
    const support = await readDriftSupport(
      [dir, core.registry.versionDir(record.family, record.version)],
      manifest,
    ).catch((err) => {
      logger.warn(
        { err, version: record.version },
        'the drift reference cannot be read; drift is not measured',
      );
      return undefined;
    });
    const artefacts = support?.artefacts;
    return {
      family: record.family,
      version: record.version,
      predictor: o.variant({ model, manifest }),
      holdout: Object.keys(record.metrics).length === 0 ? null : record.metrics,
      ...(support === undefined ? {} : { driftReference: support.reference }),
      ...(artefacts === undefined
        ? {}
        : { featurize: (input: PredictorInput, now: number) => driftVector(artefacts, input, now) }),
    };
  };
  const watcher =
    family === null
      ? undefined
      : new ModelWatcher<PredictorInput, PredictorOutput>({
          registry: core.registry,
          family,
          router,
          load,
          pollMs: core.settings.modelPollMs,
          onSwap: (slot, variant) => {
            learningMetrics?.modelSwaps.inc({ slot });
            logger.info({ slot, version: variant?.version ?? null }, 'model slot swapped');
            if (slot === 'active') {
              drift.reset(
                variant === undefined ? null : { family: variant.family, version: variant.version },
                variant?.driftReference,
                variant?.featurize,
              );
            }
          },
          onError: (err, ctx) =>
            logger.error({ err, ...ctx }, 'loading a registered model failed; keeping the current one'),
        });
  await watcher?.sync();
  swapHere = (changed) => {
    if (changed === family) watcher?.notify();
  };
  prepareHere = async (record, to) => {
    let loaded: LoadedVariant<PredictorInput, PredictorOutput>;
    try {
      loaded = await load(record);
    } catch (cause) {
      const dir = await dirOf(record);
      throw new AppError(
        'CS_ERR_MODEL_UNLOADABLE',
        `${record.family}/${record.version} cannot be loaded on this replica from ${dir} (${cause instanceof Error ? cause.message : String(cause)}); nothing was changed. Its artefact directory must be on storage this replica and the worker share (DATA_DIR/models)`,
        {
          cause,
          details: {
            family: record.family,
            version: record.version,
            artefactDir: dir,
            ...(isAppError(cause) ? { causeCode: cause.code } : {}),
          },
        },
      );
    }
    if (watcher === undefined || record.family !== family) return undefined;
    return () => watcher.install(to, loaded);
  };

  const onFinished = (job: StoredLearningJob) => {
    const result = job.result as { status?: string } | null;
    learningMetrics?.retrainJobs.inc({
      trigger: job.trigger,
      status: job.status,
      promoted: String(result?.status === 'active'),
    });
    logger.info({ job: job.id, status: job.status, message: job.message }, 'retraining job finished');
    // Pick the promotion up at once in this replica (others poll or get the Redis message).
    watcher?.notify();
  };
  let queue: JobQueue;
  if (config.REDIS_URL !== undefined) {
    queue = new BullMqJobQueue(
      {
        url: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        attempts: core.settings.attempts,
        backoffMs: core.settings.backoffMs,
      },
      store.jobs,
      clock,
    );
  } else {
    const local = new InProcessJobQueue({
      jobs: store.jobs,
      runner: core.runner,
      clock,
      attempts: core.settings.attempts,
      backoffMs: core.settings.backoffMs,
      onError: (err) => logger.error({ err }, 'the in-process job queue failed'),
      onFinished,
    });
    await local.recover();
    queue = local;
  }
  const triggers =
    family === null
      ? undefined
      : new RetrainTriggers({
          family,
          queue,
          feedback: store.feedback,
          learning: store.learning,
          clock,
          owner,
          everyFeedback: core.settings.retrainEveryFeedback,
          scheduleMinutes: core.settings.retrainScheduleMinutes,
          driftCooldownMs: core.settings.driftRetrainCooldownMs,
          // The feedback count is checked as often as the registry is read.
          checkIntervalMs: core.settings.modelPollMs,
          onQueued: (job, trigger, created) =>
            logger.info(
              { job: job.id, trigger, created },
              created ? 'retraining queued' : 'retraining already queued',
            ),
          onError: (err) => logger.warn({ err }, 'a retraining trigger failed'),
        });

  learningMetrics = new LearningMetrics(o.metrics.registry, {
    drift: () => drift.report(),
    loaded: () =>
      (['active', 'canary', 'shadow'] as const).flatMap((slot) => {
        const v = router.version(slot);
        return v === undefined ? [] : [{ slot, ...v }];
      }),
  });
  const review = new ReviewQueue(store.review, core.settings.reviewWindow);
  const http: LearningHttpDeps = {
    servingFamily: family,
    registry: core.registry,
    queue,
    jobs: store.jobs,
    review,
    canaryShare: () => router.canaryShare,
    drift: () => (family === null ? null : drift.report()),
    reputations: () => store.learning.reputations(),
    experiments: async () => {
      if (family === null) return [];
      const reports = [];
      for (const role of ['canary', 'shadow'] as const) {
        const candidate = await core.registry.holding(family, role);
        if (candidate === undefined) continue;
        await observations.flush();
        const [labelled, agreement] = await Promise.all([
          store.experiments.labelled(family, candidate.version, 50_000),
          store.feedback.agreementByModel(),
        ]);
        reports.push(
          buildExperimentReport({
            family,
            candidateVersion: candidate.version,
            role,
            observations: labelled,
            agreement,
          }),
        );
      }
      return reports;
    },
  };

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    predictor: {
      current: () => router.current(),
      models: () => router.models(),
      predict: (input) => router.predict(input),
      modelFor: (input) => router.version(router.route(input)) ?? router.current(),
    },
    http,
    core,
    queue,
    start: () => {
      watcher?.start();
      triggers?.start();
      drift.start();
      // Reputation learning is cheap and safe on every replica (the cursor moves by compare-and-set).
      timers.push(
        setInterval(() => {
          core.reputation.catchUp().catch((err) => logger.warn({ err }, 'source reputation learning failed'));
        }, 30_000).unref(),
      );
      if (events !== undefined && watcher !== undefined) {
        events
          .subscribe((changed) => {
            if (changed === family) watcher.notify();
          })
          .then((u) => {
            unsubscribe = u;
          })
          .catch((err) => logger.warn({ err }, 'subscribing to model changes failed; polling only'));
      }
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      triggers?.stop();
      drift.stop();
      await watcher?.stop();
      await unsubscribe?.();
      await queue.close();
      await observations.flush();
      for (const slot of ['shadow', 'canary', 'active'] as const) router.set(slot, undefined);
    },
  };
}
