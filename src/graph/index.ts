/**
 * The knowledge graph: one `GraphStore` contract (SQLite, PostgreSQL), importers
 * (ATT&CK and other STIX 2.1 bundles, MISP galaxies, CISA KEV, CVE to ATT&CK
 * mappings), the shipped catalogue, threats from predictions, enrichment,
 * technique patterns (FP-Growth) and export (STIX 2.1, Cypher). See README.md.
 */

export { AdjacencyCache } from './adjacency-cache.js';
export {
  type AdjacencyCacheOptions,
  AdjacencyCacheOptionsSchema,
  type AdjacencyCacheStats,
  type AdjacencySource,
} from './adjacency-cache-types.js';
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
  EdgeScanFilter,
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
export { cypherProblem, parseCypherString } from './cypher-check.js';
export { enrich, kevStatus } from './enrich.js';
export {
  type ActorMatch,
  ENRICH_TEXT_MAX_CHARS,
  type EnrichInput,
  EnrichInputSchema,
  type EnrichRequest,
  EnrichRequestSchema,
  type EnrichResult,
  EnrichResultSchema,
} from './enrich-schema.js';
export { type CypherExportResult, cypherName, cypherString, exportCypher } from './export-cypher.js';
export { exportStixBundle, MITRE_NOTICE, type StixExportOptions, uuidV5 } from './export-stix.js';
export { associationRules, type FpGrowthOptions, fpGrowth, type RuleOptions } from './fpgrowth.js';
export {
  CVE_ID,
  parentTechniqueId,
  TECHNIQUE_ID,
  techniqueIdOf,
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
export { detectFormat, importFiles, publicDataGraphFiles, readJsonFile } from './import-file.js';
export {
  INDICATOR_KINDS,
  type IndicatorKind,
  type IndicatorRef,
  indicatorNodeId,
  indicatorsFromLists,
  normaliseIndicator,
} from './indicators.js';
export { importCveAttackMappings, importKev, type KevFacts } from './kev-import.js';
export {
  createKevLookup,
  type KevEntry,
  type KevLookup,
  kevLookupFromCatalogue,
  loadKevLookup,
} from './kev-lookup.js';
export { COMMON_WORDS, findActorMentions, type Mention, MentionMatcher } from './mentions.js';
export { importMispGalaxies } from './misp-import.js';
export { normaliseName } from './normalise.js';
export { type OpenGraphOptions, openGraph } from './open-graph.js';
export {
  collectTechniqueSets,
  type MineOptions,
  type MineResult,
  minePatterns,
  type PatternSource,
  suggestTechniques,
  type TechniqueSet,
  type TechniqueSuggestion,
} from './patterns.js';
export { openPostgresGraph, PostgresGraph, type PostgresGraphOptions } from './postgres-graph.js';
export { resolveNodeRef } from './resolve-ref.js';
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
export { stixBundleProblems } from './stix-validate.js';
export {
  forgetThreats,
  IndicatorInputSchema,
  PREDICTION_SOURCE,
  type RecordedThreat,
  recordThreat,
  SEVERITIES,
  TechniqueInputSchema,
  type ThreatInput,
  ThreatInputSchema,
} from './threats.js';
