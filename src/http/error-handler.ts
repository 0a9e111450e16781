import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, isAppError, readableSchemaErrors } from '../core/index.js';
import { type FieldError, fieldOf } from './field-errors.js';
import { problemOf, STATUS_BY_KIND } from './problem.js';

/** Maps a Fastify-native error (validation, body parsing, limits) to one of our codes. */
function fromFastifyError(err: FastifyError, request: FastifyRequest): AppError {
  if (err.validation) {
    // One message per field, listing the allowed values of a union of literals (see readableSchemaErrors).
    const readable = readableSchemaErrors(
      err.validation.map((v) => ({
        instancePath: v.instancePath ?? '',
        keyword: v.keyword,
        params: v.params,
        message: v.message ?? 'invalid',
      })),
    );
    const fields: FieldError[] = readable.map((v) => ({
      field: fieldOf(v.instancePath, v.params),
      message: v.message,
    }));
    const where = err.validationContext ?? 'body';
    const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return new AppError('CS_ERR_VALIDATION', `Invalid ${where}: ${summary}`, {
      cause: err,
      details: { fields },
    });
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limitBytes = request.routeOptions.bodyLimit;
    const message = `larger than the limit of ${limitBytes} bytes`;
    return new AppError('CS_ERR_PAYLOAD_TOO_LARGE', `The body is ${message}`, {
      cause: err,
      details: { fields: [{ field: '(body)', message }], limitBytes },
    });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // No parser for the body's type: most often `curl -d '{...}'`, which sends application/x-www-form-urlencoded.
    const given = request.headers['content-type'] ?? 'none';
    const message = `content type ${given} is not accepted; send the body as JSON with content-type: application/json`;
    return new AppError('CS_ERR_UNSUPPORTED_MEDIA_TYPE', `The body's ${message}`, {
      cause: err,
      details: { fields: [{ field: '(body)', message }] },
    });
  }
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'CS_ERR_VALIDATION',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'CS_ERR_VALIDATION',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'CS_ERR_VALIDATION',
  };
  const mapped = byCode[err.code];
  if (mapped) {
    return new AppError(mapped, err.message, {
      cause: err,
      details: { fields: [{ field: '(body)', message: err.message }] },
    });
  }
  if (err.code === 'FST_ERR_HANDLER_TIMEOUT') {
    return new AppError('CS_ERR_TIMEOUT', 'The request took longer than the time limit', { cause: err });
  }
  if (err.statusCode === 429) return new AppError('CS_ERR_RATE_LIMITED', err.message, { cause: err });
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    // Any other client error Fastify raises (bad content type, aborted body...).
    return new AppError('CS_ERR_VALIDATION', err.message, { cause: err });
  }
  return new AppError('CS_ERR_INTERNAL', 'Internal error', { cause: err });
}

/**
 * The one error handler: every failure leaves as `application/problem+json`
 * with a stable code. Client mistakes are 4xx and logged at info; only our
 * own faults are 5xx, logged with their cause chain and never detailed to the caller.
 */
export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const appError = isAppError(err) ? err : fromFastifyError(err as FastifyError, request);
  const status = STATUS_BY_KIND[appError.kind];
  // A refusal under overload is expected at a high rate: counted in metrics, not logged one by one.
  if (appError.code === 'CS_ERR_OVERLOADED') request.log.debug({ code: appError.code }, 'request shed');
  else if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: appError.code, detail: appError.message }, 'request rejected');
  if (appError.kind === 'rate-limited' && reply.getHeader('retry-after') === undefined) {
    reply.header('retry-after', '1');
  }
  void reply.status(status).type('application/problem+json').send(problemOf(appError, request.id));
}
