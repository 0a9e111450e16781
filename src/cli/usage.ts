import { InvalidArgumentError } from 'commander';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/index.js';

/**
 * Usage errors of the CLI (exit 2, see `EXIT`). Two kinds reach `runCli`:
 *
 * - a bad option or argument value: the option's parser (below) throws
 *   Commander's `InvalidArgumentError` while the command line is parsed, before
 *   any action runs, so no store, graph or model is opened for a bad flag;
 * - a bad combination of options, found by an action: {@link usageError}.
 *
 * Every option whose value has a range or a format takes one of these parsers,
 * so it is checked where the command line is read; domain code checks the same
 * limits again (it is also called over HTTP) but its errors are failures (exit 1).
 */

/** A usage error found after parsing (options that conflict, a missing one of two): exit 2. */
export function usageError(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('CS_ERR_VALIDATION', message, { details: { ...details, usage: true } });
}

/** True when `err` is a usage error made by {@link usageError}. */
export function isUsageError(err: AppError): boolean {
  return err.code === 'CS_ERR_VALIDATION' && err.details?.usage === true;
}

/** Parser of a whole number in `[min, max]` (decimal digits only: no sign, exponent or fraction). */
export function intArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/**
 * Parser of a number accepted by `ok`, described by `expected` (e.g. "a number in (0, 1]").
 * Rejects empty strings, which `Number` would read as 0.
 */
export function numberArg(ok: (n: number) => boolean, expected: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !ok(n))
      throw new InvalidArgumentError(`expected ${expected}`);
    return n;
  };
}

/** Parser of a string matching `pattern`, described by `expected`. */
export function patternArg(pattern: RegExp, expected: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value)) throw new InvalidArgumentError(`expected ${expected}`);
    return value;
  };
}

/**
 * Parser that checks a value with a TypeBox schema owned elsewhere (for a flag
 * that overrides an environment variable: that variable's schema in `EnvSchema`),
 * so the flag and the variable accept the same values. Returns the string as
 * given: the owner converts it again when it loads it. An empty value is
 * refused: the configuration reads an empty variable as unset, a flag given
 * empty is a mistake.
 */
export function schemaArg(schema: TSchema): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError('expected a value');
    const converted = Value.Convert(schema, value);
    if (!Value.Check(schema, converted)) {
      const first = [...Value.Errors(schema, converted)][0];
      throw new InvalidArgumentError(first?.message ?? 'invalid value');
    }
    return value;
  };
}
