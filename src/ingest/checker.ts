import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** A compiled TypeBox check that explains the first problem, for per-record validation in importers. */
export interface RecordChecker<T extends TSchema> {
  /** Returns the value typed, or a one-line reason. */
  check(value: unknown): { ok: true; value: Static<T> } | { ok: false; reason: string };
}

/** Compiles `schema` on first use (nothing runs on import) and returns a checker. */
export function recordChecker<T extends TSchema>(schema: T): RecordChecker<T> {
  // Structural type: the compiled validator's generics are not needed here.
  let validator:
    | { Check(v: unknown): boolean; Errors(v: unknown): { instancePath: string; message: string }[] }
    | undefined;
  return {
    check(value) {
      validator ??= Compile(schema);
      const v = validator;
      if (v.Check(value)) return { ok: true, value: value as Static<T> };
      const first = v.Errors(value)[0];
      const path = first?.instancePath === '' || first === undefined ? '(root)' : first.instancePath;
      return {
        ok: false,
        reason: `invalid record: ${path}: ${first?.message ?? 'does not match the schema'}`,
      };
    },
  };
}
