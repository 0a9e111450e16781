import Type, { type Static } from 'typebox';

/**
 * On-disk format of the shipped graph catalogue (`assets/graph-catalogue.json.gz`),
 * typed apart from the runtime graph so a shipped file stays readable: a new
 * layout gets a new `formatVersion` and its own schema here.
 *
 * Nodes and edges are tuples with index tables for the repeated strings
 * (types, sources), which keeps the file a few hundred kilobytes gzipped.
 */

/** Identifies the file kind. */
export const CATALOGUE_FORMAT = 'cyberstreams-graph-catalogue';

const Props = Type.Record(Type.String(), Type.Unknown());

/** `[id, typeIndex, name, props, sourceIndexes, aliases, synonyms, otherNames, xids]` */
export const CatalogueNodeV1 = Type.Tuple([
  Type.String({ minLength: 1 }),
  Type.Integer({ minimum: 0 }),
  Type.String({ minLength: 1 }),
  Props,
  Type.Array(Type.Integer({ minimum: 0 })),
  Type.Array(Type.String()),
  Type.Array(Type.String()),
  Type.Array(Type.String()),
  Type.Array(Type.String()),
]);

/** `[srcNodeIndex, edgeTypeIndex, dstNodeIndex, sourceIndex, confidence, props]` */
export const CatalogueEdgeV1 = Type.Tuple([
  Type.Integer({ minimum: 0 }),
  Type.Integer({ minimum: 0 }),
  Type.Integer({ minimum: 0 }),
  Type.Integer({ minimum: 0 }),
  Type.Number({ minimum: 0, maximum: 1 }),
  Props,
]);

/** Where the catalogue came from: one entry per public source, for NOTICE and `graph stats`. */
export const CatalogueSourceV1 = Type.Object({
  /** The source label used on nodes and edges (`attack`, `misp-galaxy`, `kev`, `mappings-explorer`). */
  name: Type.String({ minLength: 1 }),
  title: Type.String(),
  /** Publisher's version or date of the input. */
  version: Type.String(),
  licence: Type.String(),
});

/** Catalogue file, format version 1. */
export const CatalogueV1 = Type.Object({
  format: Type.Literal(CATALOGUE_FORMAT),
  formatVersion: Type.Literal(1),
  /** sha256 (hex) of the file's content without this field: the graph remembers which one it loaded. */
  id: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  builtFrom: Type.Array(CatalogueSourceV1),
  nodeTypes: Type.Array(Type.String()),
  edgeTypes: Type.Array(Type.String()),
  sources: Type.Array(Type.String()),
  nodes: Type.Array(CatalogueNodeV1),
  edges: Type.Array(CatalogueEdgeV1),
});

/** A parsed, validated catalogue. */
export type Catalogue = Static<typeof CatalogueV1>;

/** The small sidecar file (`assets/graph-catalogue.meta.json`) read at every start-up instead of the catalogue. */
export const CatalogueMetaV1 = Type.Object({
  format: Type.Literal(`${CATALOGUE_FORMAT}-meta`),
  formatVersion: Type.Literal(1),
  id: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  nodes: Type.Integer({ minimum: 0 }),
  edges: Type.Integer({ minimum: 0 }),
  builtFrom: Type.Array(CatalogueSourceV1),
});

/** The sidecar's content. */
export type CatalogueMeta = Static<typeof CatalogueMetaV1>;
