export {
  CATALOGUE_FILE,
  CATALOGUE_META_FILE,
  catalogueMeta,
  defaultCataloguePaths,
  dumpCatalogue,
  type EnsureCatalogueOptions,
  type EnsureCatalogueResult,
  ensureCatalogueLoaded,
  loadCatalogue,
  readCatalogue,
} from './catalogue.js';
export type { Catalogue, CatalogueMeta } from './catalogue-format.js';
export type {
  AliasFilter,
  ApplyOptions,
  AssociationRule,
  Direction,
  EdgeCursor,
  EdgeQuery,
  GraphPath,
  GraphStats,
  GraphStore,
  Itemset,
  Neighbour,
  NeighbourOptions,
  NeighbourResult,
  PathOptions,
  PatternInfo,
  PatternRun,
  SharedNeighbour,
  SharedNeighbourOptions,
} from './contract.js';
export {
  CVE_ID,
  parentTechniqueId,
  TECHNIQUE_ID,
  techniqueNodeId,
  threatNodeId,
  vulnerabilityNodeId,
} from './ids.js';
export type {
  ImportFormat,
  ImportOptions,
  ImportProgress,
  ImportReport,
  SkippedRecord,
} from './import-common.js';
export { detectFormat, importFiles, readJsonFile } from './import-file.js';
export {
  INDICATOR_KINDS,
  type IndicatorKind,
  type IndicatorRef,
  indicatorNodeId,
  indicatorsFromLists,
  normaliseIndicator,
} from './indicators.js';
export { importCveAttackMappings, importKev, type KevFacts } from './kev-import.js';
export { importMispGalaxies } from './misp-import.js';
export { normaliseName } from './normalise.js';
export { openPostgresGraph, PostgresGraph, type PostgresGraphOptions } from './postgres-graph.js';
export {
  type AliasEntry,
  type AliasKind,
  type ApplyResult,
  EDGE_RULES,
  EDGE_TYPES,
  type EdgeInput,
  type EdgeType,
  type GraphBatch,
  type GraphEdge,
  type GraphNode,
  NODE_TYPES,
  type NodeInput,
  type NodeType,
} from './schema.js';
export { openSqliteGraph, SqliteGraph, type SqliteGraphOptions } from './sqlite-graph.js';
export { importStixBundle } from './stix-import.js';
