import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../core/index.js';
import { assertRetrainSettings, ExperimentReportSchema, jobView, versionView } from '../../learning/index.js';
import type { StoredLearningJob } from '../../store/index.js';
import type { Principal } from '../auth.js';
import type { LearningHttpDeps } from '../learning-deps.js';
import { NoQuerySchema, PROTECTED_ERRORS, ProblemSchema } from '../schemas/common.js';
import {
  DemoteRequestSchema,
  FamilyParamsSchema,
  type JobReply,
  JobSchema,
  JobsQuerySchema,
  ModelDetailSchema,
  ModelListSchema,
  PromoteRequestSchema,
  ReputationListSchema,
  RetrainReplySchema,
  RetrainRequestSchema,
  RollbackRequestSchema,
  TransitionReplySchema,
  VersionParamsSchema,
} from '../schemas/learning.js';

const iso = (t: number) => new Date(t).toISOString();

/** The list entry of a version (same fields as `cyberstreams models list --json`). */
export const versionReply = versionView;

/** A job record as answered. */
export const jobReply: (j: StoredLearningJob) => JobReply = jobView;

const actorOf = (p: Principal | null) => `api:${p?.keyId ?? 'auth-disabled'}`;

const SECURITY: { [label: string]: string[] }[] = [{ apiKey: [] }, { bearer: [] }];
const READ = { tags: ['models'], security: SECURITY };
// GET routes without parameters of their own still refuse unknown ones.
const READ_NO_QUERY = { ...READ, querystring: NoQuerySchema };

/**
 * The model registry over HTTP: list and show versions (predict or admin),
 * retrain, promote and roll back (admin), job status and the canary/shadow
 * experiment reports.
 */
export const modelRoutes: FastifyPluginAsyncTypebox<LearningHttpDeps> = async (app, deps) => {
  app.get(
    '/api/v1/models',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ_NO_QUERY,
        summary: 'Every model version: status, holdout figures, lineage',
        response: { 200: ModelListSchema, ...PROTECTED_ERRORS },
      },
    },
    async () => ({
      servingFamily: deps.servingFamily,
      canaryShare: deps.canaryShare(),
      models: (await deps.registry.list()).map(versionReply),
    }),
  );

  app.get(
    '/api/v1/models/experiments',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ_NO_QUERY,
        summary:
          'Canary and shadow reports: agreement, latency, accuracy on feedback, McNemar test and p-value',
        response: {
          200: Type.Object({ reports: Type.Array(ExperimentReportSchema) }, { additionalProperties: false }),
          ...PROTECTED_ERRORS,
        },
      },
    },
    async () => ({ reports: await deps.experiments() }),
  );

  app.get(
    '/api/v1/models/sources',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ_NO_QUERY,
        summary:
          'Source reputations learnt from feedback (corrected sources lose reputation, down to a floor)',
        response: { 200: ReputationListSchema, ...PROTECTED_ERRORS },
      },
    },
    async () => ({
      sources: (await deps.reputations()).map((r) => ({
        source: r.source,
        reputation: r.reputation,
        observations: r.observations,
        corrected: r.corrected,
        updatedAt: iso(r.updatedAt),
      })),
    }),
  );

  app.get(
    '/api/v1/models/jobs',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ,
        summary: 'Recent retraining jobs with status and progress',
        querystring: JobsQuerySchema,
        response: {
          200: Type.Object({ jobs: Type.Array(JobSchema) }, { additionalProperties: false }),
          ...PROTECTED_ERRORS,
        },
      },
    },
    async (request) => ({
      jobs: (await deps.jobs.list({ limit: Number(request.query.limit ?? '50') })).map(jobReply),
    }),
  );

  app.get(
    '/api/v1/models/jobs/:id',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ_NO_QUERY,
        summary: 'One retraining job: status, progress, result (the gate decision)',
        params: Type.Object(
          { id: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }) },
          { additionalProperties: false },
        ),
        response: { 200: JobSchema, ...PROTECTED_ERRORS, 404: ProblemSchema },
      },
    },
    async (request) => {
      const job = await deps.jobs.get(request.params.id);
      if (job === undefined) throw new AppError('CS_ERR_NOT_FOUND', `No retraining job ${request.params.id}`);
      return jobReply(job);
    },
  );

  app.get(
    '/api/v1/models/:family/:version',
    {
      config: { auth: ['predict'] },
      schema: {
        ...READ_NO_QUERY,
        summary: 'One model version with its manifest, gate evaluation and status history',
        params: VersionParamsSchema,
        response: { 200: ModelDetailSchema, ...PROTECTED_ERRORS, 404: ProblemSchema },
      },
    },
    async (request) => {
      const v = await deps.registry.find(request.params.version, request.params.family);
      const history = await deps.registry.history(v.family, v.version);
      return {
        ...versionReply(v),
        manifest: v.manifest,
        evaluation: v.evaluation,
        history: history.map((h) => ({
          from: h.fromStatus,
          to: h.toStatus,
          actor: h.actor,
          reason: h.reason,
          at: iso(h.at),
        })),
      };
    },
  );

  app.post(
    '/api/v1/models/retrain',
    {
      config: { auth: ['admin'] },
      schema: {
        ...READ,
        summary: 'Queue a retraining (admin); the candidate is promoted only through the gate',
        body: RetrainRequestSchema,
        response: { 202: RetrainReplySchema, ...PROTECTED_ERRORS, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const family = request.body.family ?? deps.servingFamily;
      if (family === null)
        throw new AppError('CS_ERR_NOT_FOUND', 'No model is registered, so there is nothing to retrain');
      if ((await deps.registry.active(family)) === undefined) {
        throw new AppError('CS_ERR_NOT_FOUND', `No active ${family} model to retrain`);
      }
      assertRetrainSettings(family, request.body.settings ?? {});
      const { job, created } = await deps.queue.enqueue({
        family,
        trigger: 'manual',
        requestedBy: actorOf(request.principal),
        payload: {
          reason: request.body.reason ?? 'retraining requested over the API',
          settings: request.body.settings ?? {},
        },
      });
      return reply.status(202).send({ created, job: jobReply(job) });
    },
  );

  app.post(
    '/api/v1/models/:family/:version/promote',
    {
      config: { auth: ['admin'] },
      schema: {
        ...READ,
        summary:
          'Make a version active (or canary, shadow); loaded on this replica first (409 when it cannot be), which swaps at once; the others within MODEL_POLL_MS',
        params: VersionParamsSchema,
        body: PromoteRequestSchema,
        response: { 200: TransitionReplySchema, ...PROTECTED_ERRORS, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const v = await deps.registry.find(request.params.version, request.params.family);
      const r = await deps.registry.promote(
        v,
        request.body.to ?? 'active',
        actorOf(request.principal),
        request.body.reason ?? 'promoted over the API',
      );
      return {
        changed: versionReply(r.changed),
        demoted: r.demoted === null ? null : versionReply(r.demoted),
      };
    },
  );

  app.post(
    '/api/v1/models/:family/:version/demote',
    {
      config: { auth: ['admin'] },
      schema: {
        ...READ,
        summary: 'End a canary or shadow run (back to candidate) or retire a version',
        params: VersionParamsSchema,
        body: DemoteRequestSchema,
        response: { 200: TransitionReplySchema, ...PROTECTED_ERRORS, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const v = await deps.registry.find(request.params.version, request.params.family);
      const r = await deps.registry.demote(
        v,
        request.body.to ?? 'candidate',
        actorOf(request.principal),
        request.body.reason ?? 'demoted over the API',
      );
      return { changed: versionReply(r.changed), demoted: null };
    },
  );

  app.post(
    '/api/v1/models/:family/rollback',
    {
      config: { auth: ['admin'] },
      schema: {
        ...READ,
        summary: 'Return the family to the version active before the current one',
        params: FamilyParamsSchema,
        body: RollbackRequestSchema,
        response: { 200: TransitionReplySchema, ...PROTECTED_ERRORS, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const r = await deps.registry.rollback(
        request.params.family,
        actorOf(request.principal),
        request.body.reason ?? 'rolled back over the API',
      );
      return {
        changed: versionReply(r.changed),
        demoted: r.demoted === null ? null : versionReply(r.demoted),
      };
    },
  );
};
