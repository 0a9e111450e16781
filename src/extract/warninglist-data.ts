import Type, { type Static } from 'typebox';

/** The five MISP warninglist types and how each matches (see `WarninglistIndex`). */
export const WarninglistTypeSchema = Type.Union([
  Type.Literal('cidr'),
  Type.Literal('string'),
  Type.Literal('hostname'),
  Type.Literal('substring'),
  Type.Literal('regex'),
]);

/** One MISP warninglist type. */
export type WarninglistType = Static<typeof WarninglistTypeSchema>;

/** A MISP `list.json` as MISP publishes it (fields we use; others are ignored). */
export const MispWarninglistSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  description: Type.String(),
  type: WarninglistTypeSchema,
  version: Type.Optional(Type.Number()),
  matching_attributes: Type.Optional(Type.Array(Type.String())),
  list: Type.Array(Type.String()),
});

/** A MISP warninglist file, validated. */
export type MispWarninglist = Static<typeof MispWarninglistSchema>;

/** Metadata of one list in the derived file. */
export const WarninglistMetaSchema = Type.Object({
  /** Folder name in misp-warninglists (stable id, e.g. `rfc1918`). */
  id: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  description: Type.String(),
  type: WarninglistTypeSchema,
  /** MISP attribute types the list applies to; empty: every type (MISP's rule). */
  matchingAttributes: Type.Array(Type.String()),
  version: Type.Number(),
  /** Number of entries the list has in MISP. */
  entries: Type.Integer({ minimum: 0 }),
});

/** Metadata of one list in the derived file. */
export type WarninglistMeta = Static<typeof WarninglistMetaSchema>;

/**
 * The derived warninglist file (`assets/warninglists.json.gz`), format v1.
 *
 * Values are grouped by the exact set of lists that contain them: the big
 * "top N domains" lists are nested (top 1k inside top 2k inside ...), so a
 * few hundred groups hold 400k values and each value is stored once.
 */
export const WarninglistFileSchema = Type.Object({
  format: Type.Literal('cyberstreams-warninglists'),
  version: Type.Literal(1),
  /** Where the lists come from (repository, date or commit). */
  source: Type.String(),
  licence: Type.String(),
  lists: Type.Array(WarninglistMetaSchema),
  groups: Type.Array(
    Type.Object({
      /** Indexes into `lists`. */
      lists: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 }),
      /** Entries exactly as the lists write them. */
      values: Type.Array(Type.String()),
    }),
  ),
});

/** The derived warninglist file, format v1. */
export type WarninglistFile = Static<typeof WarninglistFileSchema>;

/**
 * Converts MISP warninglists (`id` = folder name) into the derived file
 * format. Pure: the caller reads the files. Lists are ordered by id, values
 * sorted, so the output is byte-for-byte reproducible.
 */
export function warninglistFileFromMisp(
  lists: readonly { id: string; list: MispWarninglist }[],
  source: string,
  licence = 'CC0-1.0',
): WarninglistFile {
  const sorted = [...lists].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byValue = new Map<string, number[]>();
  const metas: WarninglistMeta[] = sorted.map(({ id, list }, index) => {
    const unique = new Set(list.list);
    for (const value of unique) {
      const ids = byValue.get(value);
      if (ids === undefined) byValue.set(value, [index]);
      else ids.push(index);
    }
    return {
      id,
      name: list.name,
      description: list.description,
      type: list.type,
      matchingAttributes: [...(list.matching_attributes ?? [])],
      version: list.version ?? 0,
      entries: unique.size,
    };
  });
  const groups = new Map<string, { lists: number[]; values: string[] }>();
  for (const [value, ids] of byValue) {
    const key = ids.join(',');
    let group = groups.get(key);
    if (group === undefined) {
      group = { lists: ids, values: [] };
      groups.set(key, group);
    }
    group.values.push(value);
  }
  const ordered = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < Math.min(a.lists.length, b.lists.length); i++) {
      if (a.lists[i] !== b.lists[i]) return a.lists[i]! - b.lists[i]!;
    }
    return a.lists.length - b.lists.length;
  });
  for (const g of ordered) g.values.sort();
  return { format: 'cyberstreams-warninglists', version: 1, source, licence, lists: metas, groups: ordered };
}
