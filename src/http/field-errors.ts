/** One offending field of a request, as problem documents list them. */
export interface FieldError {
  /** Dotted path, e.g. `text` or `items.3.published`; `(body)` for the body as a whole. */
  field: string;
  message: string;
}

/**
 * The field a JSON-Schema validation error is about, from its instance path
 * (`/items/3/text`) and, for missing or unknown properties, the property name
 * the error's params carry (both ajv and TypeBox report them this way).
 */
export function fieldOf(instancePath: string, params: unknown, prefix = ''): string {
  const p = (params ?? {}) as {
    missingProperty?: string;
    additionalProperty?: string;
    requiredProperties?: string[];
    additionalProperties?: string[];
  };
  const named =
    p.missingProperty ?? p.additionalProperty ?? p.requiredProperties?.[0] ?? p.additionalProperties?.[0];
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return [prefix, path, named].filter((s) => s !== undefined && s !== '').join('.') || '(body)';
}

/** Whether an ISO 8601 date or date-time (already matching the schema's pattern) names a real instant. */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2024-02-30 over to March; a real date survives the round trip.
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return false;
  return !Number.isNaN(Date.parse(value));
}
