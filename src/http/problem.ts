import { type AppError, ERROR_CATALOGUE, type ErrorKind } from '../core/index.js';

/** HTTP status for each kind of failure. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = Object.freeze({
  'bad-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
});

/** An RFC 9457 `application/problem+json` body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable error code from the catalogue. */
  code: string;
  /** The request id, to find the matching log lines. */
  instance?: string;
  [extra: string]: unknown;
}

/**
 * The problem document for an error: client errors carry their message and
 * details (field names, limits); server faults say only "Internal error" so
 * no internals leak.
 */
export function problemOf(appError: AppError, instance: string): Problem {
  const status = STATUS_BY_KIND[appError.kind];
  return {
    type: `https://cyberstreams.dev/errors/${appError.code}`,
    title: ERROR_CATALOGUE[appError.code].title,
    status,
    detail: status >= 500 && appError.code === 'CS_ERR_INTERNAL' ? 'Internal error' : appError.message,
    code: appError.code,
    instance,
    ...(status < 500 && appError.details ? appError.details : {}),
  };
}
