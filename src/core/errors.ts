/**
 * One error type for the whole service, with a catalogue of stable codes.
 *
 * Codes are never reused or renamed once shipped: clients and log searches
 * depend on them. Domain code throws `AppError`s and knows nothing of HTTP;
 * `src/http/error-handler.ts` maps each code's `kind` to a status code.
 */

/** Broad class of failure; the HTTP layer maps it to a status, the CLI to an exit code. */
export type ErrorKind =
  | 'bad-input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

/** The catalogue: code -> kind and a short title. Add codes at the end; never reuse one. */
export const ERROR_CATALOGUE = {
  CS_ERR_CONFIG_INVALID: { kind: 'bad-input', title: 'Invalid configuration' },
  CS_ERR_VALIDATION: { kind: 'bad-input', title: 'Invalid request' },
  CS_ERR_INPUT_UNREADABLE: { kind: 'bad-input', title: 'Input could not be read' },
  CS_ERR_NOT_FOUND: { kind: 'not-found', title: 'Not found' },
  CS_ERR_STORE_UNAVAILABLE: { kind: 'unavailable', title: 'Store unavailable' },
  CS_ERR_STORE_MIGRATION: { kind: 'internal', title: 'Store migration failed' },
  CS_ERR_MODEL_INCOMPATIBLE: { kind: 'conflict', title: 'Model is incompatible with this build' },
  CS_ERR_MODEL_NOT_LOADED: { kind: 'unavailable', title: 'No model loaded' },
  CS_ERR_ARTEFACT_INVALID: { kind: 'bad-input', title: 'Artefact file is invalid' },
  CS_ERR_UNAUTHENTICATED: { kind: 'unauthenticated', title: 'Missing or invalid API key' },
  CS_ERR_FORBIDDEN: { kind: 'forbidden', title: 'API key lacks the required role' },
  CS_ERR_PAYLOAD_TOO_LARGE: { kind: 'too-large', title: 'Payload too large' },
  CS_ERR_RATE_LIMITED: { kind: 'rate-limited', title: 'Rate limit exceeded' },
  CS_ERR_CONFLICT: { kind: 'conflict', title: 'Conflict' },
  CS_ERR_INTERNAL: { kind: 'internal', title: 'Internal error' },
  CS_ERR_ASSET_MISSING: { kind: 'unavailable', title: 'A shipped asset file is missing' },
  CS_ERR_TIMEOUT: { kind: 'unavailable', title: 'Processing time limit reached' },
  CS_ERR_OVERLOADED: { kind: 'unavailable', title: 'Service overloaded' },
  CS_ERR_UNSUPPORTED_MEDIA_TYPE: { kind: 'unsupported-media-type', title: 'Unsupported media type' },
  CS_ERR_LISTEN_FAILED: { kind: 'unavailable', title: 'Cannot listen on the configured address' },
  CS_ERR_REDIS_UNAVAILABLE: { kind: 'unavailable', title: 'Redis unavailable' },
  CS_ERR_MODEL_UNLOADABLE: { kind: 'conflict', title: 'Model version cannot be loaded by this replica' },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

/** A stable error code from {@link ERROR_CATALOGUE}. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Options for {@link AppError}: the underlying cause (always chain it) and machine-readable details. */
export interface AppErrorOptions {
  cause?: unknown;
  /** Safe to show to the caller: field names, limits, allowed values. Never secrets. */
  details?: Record<string, unknown>;
}

/** The service's error: a stable code, a human message, an optional cause and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = ERROR_CATALOGUE[code].kind;
    this.details = options.details;
  }
}

/** True when `value` is an {@link AppError}, optionally with the given code. */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}
