import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, type ErrorCode } from './errors.js';

/**
 * Checks `value` against a TypeBox schema and returns it typed, or throws an
 * {@link AppError} whose message names every offending field.
 *
 * Used for files and CLI input; HTTP bodies are validated by Fastify with the same schemas.
 */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  what: string,
  code: ErrorCode = 'CS_ERR_VALIDATION',
): Static<T> {
  if (Value.Check(schema, value)) return value as Static<T>;
  const problems = [...Value.Errors(schema, value)].slice(0, 10).map((e) => {
    const path = e.instancePath === '' ? '(root)' : e.instancePath;
    return { path, message: e.message };
  });
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new AppError(code, `${what} is invalid: ${summary}`, { details: { problems } });
}
