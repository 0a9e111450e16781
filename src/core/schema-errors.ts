/**
 * One JSON-Schema validation error, in the shape both ajv (Fastify's request
 * validation) and TypeBox (`Value.Errors`, compiled `Errors`) report.
 */
export interface SchemaError {
  /** JSON pointer of the offending value, e.g. `/items/3/text`; `''` for the root. */
  instancePath: string;
  /** The failed schema keyword: `const`, `enum`, `anyOf`, `type`, `required`... */
  keyword: string;
  /** Keyword parameters (`allowedValue`, `allowedValues`, `missingProperty`...). */
  params: unknown;
  message: string;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The values an error says are allowed, or undefined when it is not a literal-value error. */
function allowedValues(e: SchemaError): unknown[] | undefined {
  const p = (e.params ?? {}) as { allowedValue?: unknown; allowedValues?: unknown; type?: unknown };
  if (e.keyword === 'const' && 'allowedValue' in p) return [p.allowedValue];
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) return p.allowedValues;
  // The null branch of a nullable enum (`anyOf: [{enum}, {type: 'null'}]`).
  if (e.keyword === 'type' && p.type === 'null') return [null];
  return undefined;
}

/**
 * Readable validation errors: for a union of literals (`anyOf` of `const`s, as
 * TypeBox writes `Union([Literal...])`) or an `enum`, the validators report one
 * "must be equal to constant" per branch plus "must match a schema in anyOf";
 * these become one error per value, "must be one of: none, words, shapley".
 * Identical messages for the same value are reported once. Order is kept (by
 * first appearance of each value's path). Pure.
 */
export function readableSchemaErrors(errors: Iterable<SchemaError>): SchemaError[] {
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const group = byPath.get(e.instancePath);
    if (group === undefined) byPath.set(e.instancePath, [e]);
    else group.push(e);
  }
  const out: SchemaError[] = [];
  for (const [instancePath, group] of byPath) {
    const literal = group.map(allowedValues);
    const alternatives = group.some((e) => e.keyword === 'anyOf');
    // A literal branch also reports a value of the wrong type ("must be string") beside its `const`.
    const onlyLiterals = group.every(
      (e, i) => e.keyword === 'anyOf' || e.keyword === 'type' || literal[i] !== undefined,
    );
    if (onlyLiterals && (alternatives || group.some((e) => e.keyword === 'enum'))) {
      const values = [...new Set(literal.flatMap((v) => v ?? []))];
      if (values.length > 0) {
        out.push({
          instancePath,
          keyword: 'enum',
          params: { allowedValues: values },
          message: `must be one of: ${values.map(show).join(', ')}`,
        });
        continue;
      }
    }
    const seen = new Set<string>();
    for (const e of group) {
      const key = `${e.message}\u0000${JSON.stringify(e.params ?? null)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}
