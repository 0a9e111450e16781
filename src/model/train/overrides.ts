import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Applies `key=value` overrides (as given with `--set`) to a copy of settings;
 * keys are the flat names of `flattenSettings` (`epochs`, `features.buckets`,
 * ...), values are converted to the type of the current value, and the result
 * is checked against `schema`. Returns unknown keys and bad values as problems
 * instead of throwing.
 */
export function applyOverrides<T extends object>(
  base: Readonly<T>,
  overrides: Readonly<Record<string, string>>,
  schema: TSchema,
): { settings: T; problems: string[] } {
  const settings = structuredClone(base) as T & { features?: Record<string, unknown> };
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(overrides)) {
    const [head, sub] = key.split('.', 2);
    const target: Record<string, unknown> =
      head === 'features' && sub !== undefined
        ? ((settings.features ?? {}) as Record<string, unknown>)
        : (settings as unknown as Record<string, unknown>);
    const name = head === 'features' && sub !== undefined ? sub : key;
    if (!(name in target) || (head === 'features' && sub === undefined)) {
      problems.push(`unknown setting "${key}"`);
      continue;
    }
    const current = target[name];
    if (typeof current === 'number') {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) problems.push(`${key} must be a number, got "${raw}"`);
      else target[name] = v;
    } else if (typeof current === 'boolean') {
      if (raw !== 'true' && raw !== 'false') problems.push(`${key} must be true or false, got "${raw}"`);
      else target[name] = raw === 'true';
    } else {
      target[name] = raw;
    }
  }
  if (problems.length === 0 && !Value.Check(schema, settings)) {
    for (const e of [...Value.Errors(schema, settings)].slice(0, 5)) {
      problems.push(`${e.instancePath.slice(1).replace(/\//g, '.')}: ${e.message}`);
    }
  }
  const buckets = settings.features?.buckets;
  if (problems.length === 0 && typeof buckets === 'number' && (buckets & (buckets - 1)) !== 0) {
    problems.push('features.buckets must be a power of two');
  }
  return { settings, problems };
}
