import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, type Clock } from '../../core/index.js';
import type { NewFeedback, Store, StoredPrediction } from '../../store/index.js';
import type { ServiceMetrics } from '../metrics.js';
import { normaliseText, sha256Hex } from '../normalise-text.js';
import type { Predictor } from '../predictor.js';
import { PROTECTED_ERRORS, type Severity } from '../schemas/common.js';
import { FEEDBACK_ERRORS, FeedbackReplySchema, FeedbackRequestSchema } from '../schemas/feedback.js';

/** Dependencies of the feedback route. */
export interface FeedbackRouteDeps {
  store: Store;
  predictor: Predictor;
  clock: Clock;
  metrics: ServiceMetrics;
}

function bothOrNeither(): AppError {
  const message = 'give exactly one of predictionId and text';
  return new AppError('CS_ERR_VALIDATION', `Invalid body: ${message}`, {
    details: {
      fields: [
        { field: 'predictionId', message },
        { field: 'text', message },
      ],
    },
  });
}

/**
 * `POST /api/v1/feedback`: stores an analyst's label, linked to the prediction
 * it corrects (by id, or the latest prediction of the same text) and to that
 * prediction's model version; answers 201 only once the row is durable.
 */
export const feedbackRoutes: FastifyPluginAsyncTypebox<FeedbackRouteDeps> = async (app, deps) => {
  app.post(
    '/api/v1/feedback',
    {
      config: { auth: ['feedback'] },
      schema: {
        tags: ['feedback'],
        summary: 'Correct a prediction; feeds the self-learning loop',
        description:
          'Needs a key with role feedback or admin. Send predictionId (from a prediction) or the text itself, not both. With a text, the feedback is linked to the latest stored prediction of the same (normalised) text, if any, else to the active model version.',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: FeedbackRequestSchema,
        response: { 201: FeedbackReplySchema, ...PROTECTED_ERRORS, ...FEEDBACK_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.predictionId === undefined) === (body.text === undefined)) throw bothOrNeither();
      let prediction: StoredPrediction | undefined;
      let text: string;
      if (body.predictionId !== undefined) {
        prediction = await deps.store.predictions.get(body.predictionId);
        if (prediction === undefined) {
          const message = 'no stored prediction has this id (never made, or purged by retention)';
          throw new AppError('CS_ERR_NOT_FOUND', `predictionId: ${message}`, {
            details: { fields: [{ field: 'predictionId', message }] },
          });
        }
        text = prediction.text;
      } else {
        text = normaliseText(body.text as string);
        prediction = await deps.store.predictions.latestByTextSha256(sha256Hex(text));
      }
      const model =
        prediction === undefined
          ? (deps.predictor.current() ?? null)
          : { family: prediction.modelFamily, version: prediction.modelVersion };
      const predictedSeverity = (prediction?.severity as Severity | undefined) ?? null;
      const record: NewFeedback = {
        id: randomUUID(),
        createdAt: deps.clock.now(),
        predictionId: prediction?.id ?? null,
        text,
        textSha256: prediction?.textSha256 ?? sha256Hex(text),
        correctLabel: body.correctLabel,
        techniques: body.techniques ?? null,
        comment: body.comment ?? null,
        analyst: body.analyst ?? null,
        apiKeyId: request.principal?.keyId ?? null,
        modelFamily: model?.family ?? null,
        modelVersion: model?.version ?? null,
        predictedSeverity,
      };
      await deps.store.feedback.insert(record);
      const agreed = predictedSeverity === null ? null : predictedSeverity === body.correctLabel;
      deps.metrics.feedback.inc({ correct_label: body.correctLabel, agreed: String(agreed ?? 'unknown') });
      return reply.status(201).send({
        id: record.id,
        predictionId: record.predictionId,
        model: model === null ? null : { family: model.family, version: model.version },
        predictedSeverity,
        correctLabel: body.correctLabel,
        agreed,
        createdAt: new Date(record.createdAt).toISOString(),
      });
    },
  );
};
