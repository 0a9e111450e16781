import { Value } from 'typebox/value';
import { AppError, readableSchemaErrors } from '../core/index.js';
import { maskConfigValue } from './mask.js';
import { type Config, EnvSchema } from './schema.js';

const KEYS = Object.keys(EnvSchema.properties) as (keyof Config)[];

/**
 * Reads the configuration from an environment (default `process.env`) once:
 * unknown variables are ignored, empty strings count as unset, numbers are
 * converted, defaults applied, and the result is validated and frozen.
 *
 * @throws AppError CS_ERR_CONFIG_INVALID naming each bad variable, what it expects and the
 *   value read, with any password masked (see {@link maskConfigValue}).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(EnvSchema, Value.Convert(EnvSchema, raw));
  if (!Value.Check(EnvSchema, withDefaults)) {
    const problems = readableSchemaErrors(Value.Errors(EnvSchema, withDefaults)).map((e) => {
      const name = e.instancePath.replace(/^\//, '') || '(environment)';
      // The value is echoed so the operator sees what was read, never with its password.
      return `${name}: ${e.message} (got ${JSON.stringify(maskConfigValue(name, raw[name] ?? null))})`;
    });
    throw new AppError('CS_ERR_CONFIG_INVALID', `Invalid configuration: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return Object.freeze(withDefaults as Config);
}
