import Type from 'typebox';
import { recordChecker } from './checker.js';
import { normaliseTimestamp } from './cve5-record.js';
import type { ImportOptions } from './import-options.js';
import type { LabelledDoc } from './labelled-doc.js';
import { severityFromWord } from './severity-label.js';
import { streamJsonArray } from './stream-array.js';

/** STIX 2.1 object types whose descriptions are imported by default. */
export const DEFAULT_STIX_TYPES = Object.freeze(['report', 'vulnerability', 'indicator']);

/** The part of a STIX 2.1 SDO the importer reads. */
export const StixObjectSchema = Type.Object({
  type: Type.String(),
  id: Type.String({ pattern: '^[a-z0-9-]+--[0-9a-fA-F-]{36}$' }),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  created: Type.Optional(Type.String()),
  published: Type.Optional(Type.String()),
  created_by_ref: Type.Optional(Type.String()),
  revoked: Type.Optional(Type.Boolean()),
  x_mitre_deprecated: Type.Optional(Type.Boolean()),
  labels: Type.Optional(Type.Array(Type.String())),
  x_severity: Type.Optional(Type.String()),
  external_references: Type.Optional(
    Type.Array(Type.Object({ source_name: Type.String(), external_id: Type.Optional(Type.String()) })),
  ),
});

const checker = recordChecker(StixObjectSchema);

/** Options of the STIX importer. */
export interface StixImportOptions extends ImportOptions {
  /** Object types to import (default {@link DEFAULT_STIX_TYPES}); objects of other types are passed over silently. */
  types?: readonly string[];
}

/**
 * Converts one STIX 2.1 object to a {@link LabelledDoc}, or returns undefined
 * when its type is not wanted. Text: the description. Label, when the producer
 * gives one: `x_severity`, or a `severity:<word>` entry in `labels` (STIX has
 * no standard severity property). CWEs: `cwe` external references.
 */
export function stixToDoc(
  raw: unknown,
  types: readonly string[] = DEFAULT_STIX_TYPES,
): { doc: LabelledDoc } | { reason: string; id?: string } | undefined {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !types.includes(type)) return undefined;
  const checked = checker.check(raw);
  if (!checked.ok) return { reason: checked.reason };
  const o = checked.value;
  if (o.revoked === true || o.x_mitre_deprecated === true)
    return { id: o.id, reason: 'object is revoked or deprecated' };
  const text = o.description?.trim();
  if (!text) return { id: o.id, reason: `${o.type} has no description` };
  const word =
    o.x_severity ?? o.labels?.map((l) => /^severity[:=_-](\w+)$/i.exec(l)?.[1]).find((w) => w !== undefined);
  const label = word === undefined ? undefined : severityFromWord(word);
  if (word !== undefined && label === undefined) return { id: o.id, reason: `unknown severity "${word}"` };
  const cwes = (o.external_references ?? [])
    .filter((r) => r.source_name.toLowerCase() === 'cwe' && /^CWE-\d+$/.test(r.external_id ?? ''))
    .map((r) => r.external_id as string);
  const published = normaliseTimestamp(o.published ?? o.created);
  const doc: LabelledDoc = {
    id: o.id,
    text,
    labelSource: label ? 'given' : 'none',
    cwes,
    format: 'stix21',
    ...(label ? { label, labelDetail: `STIX ${o.x_severity !== undefined ? 'x_severity' : 'labels'}` } : {}),
    ...(o.created_by_ref === undefined ? {} : { source: o.created_by_ref }),
    ...(published === undefined ? {} : { published }),
  };
  return { doc };
}

/**
 * Imports the descriptions of report, vulnerability and indicator objects (or
 * `options.types`) from a STIX 2.1 bundle file (gzip allowed), streaming the
 * `objects` array in constant memory.
 */
export async function* importStix21(
  path: string,
  options: StixImportOptions = {},
): AsyncGenerator<LabelledDoc> {
  const types = options.types ?? DEFAULT_STIX_TYPES;
  for await (const { index, value } of streamJsonArray(path, 'objects', options)) {
    const out = stixToDoc(value, types);
    if (out === undefined) continue;
    if ('doc' in out) yield out.doc;
    else
      options.onSkip?.({
        where: `${path}#objects[${index}]`,
        reason: out.reason,
        ...(out.id === undefined ? {} : { id: out.id }),
      });
  }
}
