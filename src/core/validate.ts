import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { AppError, type ErrorCode } from './errors.js';
import { readableSchemaErrors } from './schema-errors.js';

// Compiled once per schema object: a compiled check is many times cheaper than the
// interpreted `Value.Check`, which matters on hot paths (a graph threat per prediction).
const compiled = new WeakMap<TSchema, Validator>();

function validatorOf(schema: TSchema): Validator {
  let v = compiled.get(schema);
  if (v === undefined) {
    v = Compile(schema) as unknown as Validator;
    compiled.set(schema, v);
  }
  return v;
}

/**
 * Checks `value` against a TypeBox schema and returns it typed, or throws an
 * {@link AppError} whose message names every offending field. The schema is
 * compiled on first use and the compiled check is kept for the schema object.
 *
 * Used for files and CLI input; HTTP bodies are validated by Fastify with the same schemas.
 */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  what: string,
  code: ErrorCode = 'CS_ERR_VALIDATION',
): Static<T> {
  const validator = validatorOf(schema);
  if (validator.Check(value)) return value as Static<T>;
  const problems = readableSchemaErrors(validator.Errors(value))
    .slice(0, 10)
    .map((e) => {
      const path = e.instancePath === '' ? '(root)' : e.instancePath;
      return { path, message: e.message };
    });
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new AppError(code, `${what} is invalid: ${summary}`, { details: { problems } });
}
