import { hostname } from 'node:os';
import { type Command, Option } from 'commander';
import { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import { AppError, systemClock } from '../core/index.js';
import {
  buildExperimentReport,
  createLearningCore,
  ensureShippedRegistered,
  inlineTrainer,
  jobView,
  type LearningCore,
  PROMOTION_STATUSES,
  type PromotionStatus,
  RedisModelEvents,
  shippedModelDir,
  versionView,
} from '../learning/index.js';
import { openStore, type Store, type StoredLearningJob, type StoredModelVersion } from '../store/index.js';
import type { CliContext } from './context.js';
import { usageError } from './usage.js';

/** An open store with the learning parts, for the `models` and `retrain` commands. */
export interface LearningCliSession {
  config: Config;
  store: Store;
  core: LearningCore;
}

/**
 * Opens the configured store, composes the learning parts (training on this
 * thread: the CLI is not the API) and registers the shipped model on a fresh
 * data dir, runs `fn`, and closes everything. Registry changes are announced
 * on Redis when REDIS_URL is set, so running servers swap at once.
 */
export async function withLearning<T>(
  ctx: CliContext,
  fn: (s: LearningCliSession) => Promise<T>,
): Promise<T> {
  const config = ctx.loadConfig();
  const store = await openStore(config);
  let redis: Redis | undefined;
  try {
    if (config.REDIS_URL !== undefined) {
      redis = new Redis(config.REDIS_URL, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      });
      redis.on('error', () => {});
      await redis.connect();
    }
    const events = redis === undefined ? undefined : new RedisModelEvents(redis, config.REDIS_PREFIX);
    const core = createLearningCore({
      store,
      config,
      clock: systemClock,
      trainer: inlineTrainer,
      owner: `cli:${hostname()}:${process.pid}`,
      ...(events === undefined ? {} : { onRegistryChange: (family: string) => events.publish(family) }),
    });
    await ensureShippedRegistered({
      registry: core.registry,
      shippedDir: shippedModelDir(config),
      holdoutPath: core.holdoutPath,
      now: systemClock.now(),
    });
    return await fn({ config, store, core });
  } finally {
    redis?.disconnect();
    await store.close();
  }
}

/** The `models list --json` entry of a version (contract: version, family, status, metrics, parent, createdAt) and where its artefacts are. */
export function describeVersion(v: StoredModelVersion): Record<string, unknown> {
  return { ...versionView(v), artefactDir: v.artefactDir };
}

/** A job as the CLI prints it. */
export const describeJob: (j: StoredLearningJob) => Record<string, unknown> = jobView;

/** The family to act on: the given one, else the only family with an active version. */
export async function familyOf(core: LearningCore, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const families = [
    ...new Set((await core.registry.list()).filter((v) => v.status === 'active').map((v) => v.family)),
  ];
  if (families.length === 1) return families[0]!;
  throw new AppError(
    'CS_ERR_VALIDATION',
    families.length === 0
      ? 'No model is registered yet (no shipped model in MODELS_DIR?); nothing to act on'
      : `Several families have an active model (${families.join(', ')}); choose one with --family`,
    { details: { usage: families.length > 0 } },
  );
}

const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(4));

/**
 * `cyberstreams models list [--json] | show VERSION | promote VERSION [--to S] | rollback | experiments | sources | jobs | job ID`:
 * the model registry on the configured store.
 */
export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the model registry: list, show, promote, roll back');

  models
    .command('list')
    .description('list every model version with its status, holdout figures and lineage')
    .option('--json', 'print one JSON array')
    .option('--family <family>', 'only this model family')
    .action(async (opts: { json?: boolean; family?: string }) => {
      const all = await withLearning(ctx, ({ core }) => core.registry.list(opts.family));
      if (opts.json) {
        ctx.stdout(`${JSON.stringify(all.map(describeVersion))}\n`);
        return;
      }
      if (all.length === 0) {
        ctx.stdout('No model versions registered (is a model shipped in MODELS_DIR/severity?).\n');
        return;
      }
      for (const v of all) {
        ctx.stdout(
          `${v.family}  ${v.version}  ${v.status.padEnd(9)}  holdout macro-F1 ${fmt(v.metrics['holdout.macroF1'])}  parent ${v.parentVersion ?? '-'}  ${new Date(v.createdAt).toISOString()}\n`,
        );
      }
    });

  models
    .command('show')
    .description('show one version: manifest summary, figures, gate evaluation and status history')
    .argument('<version>', 'the version, as `models list` shows it')
    .option('--family <family>', 'the family, when several have this version')
    .action(async (version: string, opts: { family?: string }) => {
      const out = await withLearning(ctx, async ({ core }) => {
        const v = await core.registry.find(version, opts.family);
        return {
          ...describeVersion(v),
          manifest: v.manifest,
          evaluation: v.evaluation,
          history: (await core.registry.history(v.family, v.version)).map((h) => ({
            from: h.fromStatus,
            to: h.toStatus,
            actor: h.actor,
            reason: h.reason,
            at: new Date(h.at).toISOString(),
          })),
        };
      });
      ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
    });

  models
    .command('promote')
    .description('make a version active (the previous active one is retired), or the canary or shadow')
    .argument('<version>', 'the version to promote')
    .addOption(
      new Option('--to <status>', 'the status to give it').choices([...PROMOTION_STATUSES]).default('active'),
    )
    .option('--family <family>', 'the family, when several have this version')
    .option('--reason <text>', 'why (recorded in the history)', 'promoted by hand')
    .action(async (version: string, opts: { to: PromotionStatus; family?: string; reason: string }) => {
      const result = await withLearning(ctx, async ({ core }) => {
        const v = await core.registry.find(version, opts.family);
        return core.registry.promote(v, opts.to, 'cli', opts.reason);
      });
      const demoted =
        result.demoted === null ? '' : `; ${result.demoted.version} is now ${result.demoted.status}`;
      ctx.stdout(
        `${result.changed.family}/${result.changed.version} is now ${result.changed.status}${demoted}.\n`,
      );
    });

  models
    .command('demote')
    .description('end a canary or shadow run (back to candidate) or retire a version')
    .argument('<version>', 'the version')
    .addOption(
      new Option('--to <status>', 'the status to give it')
        .choices(['candidate', 'retired'])
        .default('candidate'),
    )
    .option('--family <family>', 'the family, when several have this version')
    .option('--reason <text>', 'why (recorded in the history)', 'demoted by hand')
    .action(
      async (version: string, opts: { to: 'candidate' | 'retired'; family?: string; reason: string }) => {
        const result = await withLearning(ctx, async ({ core }) => {
          const v = await core.registry.find(version, opts.family);
          return core.registry.demote(v, opts.to, 'cli', opts.reason);
        });
        ctx.stdout(`${result.changed.family}/${result.changed.version} is now ${result.changed.status}.\n`);
      },
    );

  models
    .command('rollback')
    .description('return the family to the version that was active before the current one')
    .option('--family <family>', 'the family (default: the only one with an active model)')
    .option('--reason <text>', 'why (recorded in the history)', 'rolled back by hand')
    .action(async (opts: { family?: string; reason: string }) => {
      const result = await withLearning(ctx, async ({ core }) =>
        core.registry.rollback(await familyOf(core, opts.family), 'cli', opts.reason),
      );
      ctx.stdout(
        `${result.changed.family}/${result.changed.version} is active again; ${result.demoted?.version ?? 'nothing'} was retired.\n`,
      );
    });

  models
    .command('experiments')
    .description(
      'report the running canary and shadow: agreement, latency, accuracy on feedback, McNemar p-value',
    )
    .option('--family <family>', 'the family (default: the only one with an active model)')
    .option('--json', 'print one JSON array')
    .action(async (opts: { family?: string; json?: boolean }) => {
      const reports = await withLearning(ctx, async ({ core, store }) => {
        const family = await familyOf(core, opts.family);
        const out = [];
        for (const role of ['canary', 'shadow'] as const) {
          const candidate = await core.registry.holding(family, role);
          if (candidate === undefined) continue;
          const [observations, agreement] = await Promise.all([
            store.experiments.labelled(family, candidate.version, 50_000),
            store.feedback.agreementByModel(),
          ]);
          out.push(
            buildExperimentReport({
              family,
              candidateVersion: candidate.version,
              role,
              observations,
              agreement,
            }),
          );
        }
        return out;
      });
      if (opts.json) {
        ctx.stdout(`${JSON.stringify(reports)}\n`);
        return;
      }
      if (reports.length === 0)
        ctx.stdout('No canary or shadow is running (models promote VERSION --to canary).\n');
      for (const r of reports) ctx.stdout(`${r.summary}\n`);
    });

  models
    .command('sources')
    .description('source reputations learnt from feedback (feature slots 50-54)')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withLearning(ctx, async ({ core, store }) => {
        await core.reputation.catchUp();
        return store.learning.reputations();
      });
      const described = rows.map((r) => ({
        source: r.source,
        reputation: r.reputation,
        observations: r.observations,
        corrected: r.corrected,
        updatedAt: new Date(r.updatedAt).toISOString(),
      }));
      if (opts.json) {
        ctx.stdout(`${JSON.stringify(described)}\n`);
        return;
      }
      if (rows.length === 0)
        ctx.stdout('No source reputation learnt yet (it needs feedback on predictions with a source).\n');
      for (const r of described) {
        ctx.stdout(`${r.source}  ${r.reputation.toFixed(4)}  ${r.corrected}/${r.observations} corrected\n`);
      }
    });

  models
    .command('jobs')
    .description('list recent retraining jobs with their status and progress')
    .option('--json', 'print one JSON array')
    .option('--limit <n>', 'how many', '20')
    .action(async (opts: { json?: boolean; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
        throw usageError(`--limit must be an integer in 1..1000, got "${opts.limit}"`);
      }
      const jobs = await withLearning(ctx, ({ store }) => store.jobs.list({ limit }));
      if (opts.json) {
        ctx.stdout(`${JSON.stringify(jobs.map(describeJob))}\n`);
        return;
      }
      if (jobs.length === 0) ctx.stdout('No retraining jobs yet.\n');
      for (const j of jobs) {
        ctx.stdout(
          `${j.id}  ${j.family}  ${j.status.padEnd(9)}  ${Math.round(j.progress * 100)}%  ${j.trigger}  ${new Date(j.createdAt).toISOString()}  ${j.message ?? ''}\n`,
        );
      }
    });

  models
    .command('job')
    .description('show one retraining job (status, progress, result) as JSON')
    .argument('<id>', 'the job id')
    .action(async (id: string) => {
      const job = await withLearning(ctx, ({ store }) => store.jobs.get(id));
      if (job === undefined) throw new AppError('CS_ERR_NOT_FOUND', `No retraining job ${id}`);
      ctx.stdout(`${JSON.stringify(describeJob(job), null, 2)}\n`);
    });
}
