import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { AppError, systemClock } from '../core/index.js';
import { BullMqJobQueue, type RetrainRequest } from '../learning/index.js';
import { retrainSettingsProblems } from '../model/index.js';
import type { StoredLearningJob } from '../store/index.js';
import type { CliContext } from './context.js';
import { describeJob, familyOf, type LearningCliSession, withLearning } from './models.js';
import { usageError } from './usage.js';

function parseSetting(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    throw usageError(`--set expects key=value, got "${value}"`);
  }
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

const done = (j: StoredLearningJob | undefined) =>
  j === undefined || j.status === 'succeeded' || j.status === 'failed';

/** How long `retrain` waits for another process's training of the same family, ms. */
const BUSY_WAIT_MS = 10 * 60_000;

/** Runs the job here (no Redis): attempts with back-off; waits while another process holds the family's lease. */
async function runHere(s: LearningCliSession, job: StoredLearningJob, ctx: CliContext): Promise<void> {
  const { core } = s;
  const started = Date.now();
  let current: StoredLearningJob | undefined = job;
  while (!done(current)) {
    const attempt = (current as StoredLearningJob).attempts + 1;
    const outcome = await core.runner.attempt(
      current as StoredLearningJob,
      attempt,
      core.settings.attempts,
      undefined,
      (f, m) => ctx.stderr(`[${String(Math.round(f * 100)).padStart(3)}%] ${m}\n`),
    );
    if (outcome.status === 'busy') {
      if (Date.now() - started > BUSY_WAIT_MS) {
        throw new AppError(
          'CS_ERR_CONFLICT',
          `Another process has been training ${job.family} for too long; try later`,
        );
      }
      ctx.stderr(`another process is training ${job.family}; waiting\n`);
      await sleep(5_000);
    } else if (outcome.status === 'failed' && !outcome.final) {
      const delay = core.settings.backoffMs * 2 ** (attempt - 1);
      ctx.stderr(`attempt ${attempt} failed (${outcome.error.message}); retrying in ${delay} ms\n`);
      await sleep(delay);
    }
    current = await s.store.jobs.get(job.id);
  }
}

/** Polls the job record until it finishes, printing progress changes on stderr. */
async function waitFor(s: LearningCliSession, id: string, ctx: CliContext): Promise<void> {
  let last = '';
  for (;;) {
    const j = await s.store.jobs.get(id);
    const line =
      j === undefined
        ? ''
        : `[${String(Math.round(j.progress * 100)).padStart(3)}%] ${j.status} ${j.message ?? ''}`;
    if (line !== last) ctx.stderr(`${line}\n`);
    last = line;
    if (done(j)) return;
    await sleep(1_000);
  }
}

/**
 * `cyberstreams retrain [--family F] [--reason R] [--set key=value] [--wait]`:
 * retrains by hand. With REDIS_URL the job goes to the BullMQ queue (run by
 * `cyberstreams worker`; `--wait` follows it); without, it runs here and now.
 * Prints the job (with the gate's decision) as JSON on the last line.
 */
export function registerRetrain(program: Command, ctx: CliContext): void {
  program
    .command('retrain')
    .description('retrain the active model on base data + feedback; promoted only through the gate')
    .option('--family <family>', 'model family (default: the only one with an active model)')
    .option(
      '--reason <text>',
      'why (recorded with the job and the candidate)',
      'retraining requested by hand',
    )
    .option('--set <key=value>', 'training setting on top of the parent model (repeatable)', parseSetting, {})
    .option('--wait', 'with REDIS_URL: wait for the worker to finish the job')
    .action(
      async (opts: { family?: string; reason: string; set: Record<string, string>; wait?: boolean }) => {
        if (opts.reason.length > 500) {
          throw usageError('--reason is longer than 500 characters');
        }
        const final = await withLearning(ctx, async (s) => {
          const family = await familyOf(s.core, opts.family);
          // The settings are flags: a bad one is a usage error, checked before a job is queued.
          const problems = retrainSettingsProblems(family, opts.set);
          if (problems.length > 0) throw usageError(`Invalid --set: ${problems.join('; ')}`);
          const request: RetrainRequest = {
            family,
            trigger: 'manual',
            requestedBy: 'cli',
            payload: { reason: opts.reason, settings: opts.set },
          };
          if (s.config.REDIS_URL !== undefined) {
            const queue = new BullMqJobQueue(
              {
                url: s.config.REDIS_URL,
                prefix: s.config.REDIS_PREFIX,
                attempts: s.core.settings.attempts,
                backoffMs: s.core.settings.backoffMs,
              },
              s.store.jobs,
              systemClock,
            );
            try {
              const { job, created } = await queue.enqueue(request);
              ctx.stderr(
                created
                  ? `queued retraining job ${job.id} for the worker\n`
                  : `a retraining of ${job.family} is already queued: job ${job.id}\n`,
              );
              if (opts.wait) await waitFor(s, job.id, ctx);
              return s.store.jobs.get(job.id);
            } finally {
              await queue.close();
            }
          }
          const { job } = await s.store.jobs.createUnlessQueued({
            id: randomUUID(),
            kind: 'retrain',
            family: request.family,
            trigger: request.trigger,
            requestedBy: request.requestedBy,
            payload: request.payload,
            createdAt: systemClock.now(),
          });
          await runHere(s, job, ctx);
          return s.store.jobs.get(job.id);
        });
        if (final === undefined) throw new AppError('CS_ERR_INTERNAL', 'The job record disappeared');
        ctx.stdout(`${JSON.stringify(describeJob(final))}\n`);
        if (final.status === 'failed')
          throw new AppError('CS_ERR_INTERNAL', `Retraining failed: ${final.error ?? 'unknown error'}`);
      },
    );
}
