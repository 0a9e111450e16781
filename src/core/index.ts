export type { Clock } from './clock.js';
export { fixedClock, systemClock } from './clock.js';
export type { AppErrorOptions, ErrorCode, ErrorKind } from './errors.js';
export { AppError, ERROR_CATALOGUE, isAppError } from './errors.js';
export { mulberry32 } from './random.js';
export type { SchemaError } from './schema-errors.js';
export { readableSchemaErrors } from './schema-errors.js';
export { withTimeout } from './timeout.js';
export { validate } from './validate.js';
