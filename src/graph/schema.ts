/**
 * The knowledge-graph schema: node types, edge types, which edge may join
 * which node types, and the shapes the store reads and writes.
 *
 * The design's schema (`(:Threat)-[:USES]->(:Technique)`, `(:Actor)-[:CONDUCTS]->(:Campaign)`, ...)
 * plus what the public data needs (Actor/Campaign/Malware/Tool USES Technique, Malware and Tool;
 * SUBTECHNIQUE_OF, IN_TACTIC, MITIGATES, ATTRIBUTED_TO; Actor TARGETS Sector/Country).
 */

/** Every node type, in a fixed order (used for stats and export). */
export const NODE_TYPES = [
  'Threat',
  'Technique',
  'Tactic',
  'Actor',
  'Campaign',
  'Target',
  'Indicator',
  'Vulnerability',
  'Malware',
  'Tool',
  'Mitigation',
] as const;

/** A node type. `Target` nodes carry `props.kind` = `sector` or `country`. */
export type NodeType = (typeof NODE_TYPES)[number];

/** Every edge type. */
export const EDGE_TYPES = [
  'USES',
  'CONDUCTS',
  'TARGETS',
  'CONTAINS',
  'EXPLOITS',
  'RELATED_TO',
  'SUBTECHNIQUE_OF',
  'IN_TACTIC',
  'MITIGATES',
  'ATTRIBUTED_TO',
] as const;

/** An edge type. */
export type EdgeType = (typeof EDGE_TYPES)[number];

const ANY: readonly NodeType[] = NODE_TYPES;

/**
 * Which node types an edge may leave from and arrive at. `apply()` refuses any
 * other combination, so a bad importer cannot make the graph inconsistent.
 * RELATED_TO is the generic link (STIX `related-to`, `indicates`, MISP `similar`).
 */
export const EDGE_RULES: Readonly<Record<EdgeType, { from: readonly NodeType[]; to: readonly NodeType[] }>> =
  {
    USES: {
      from: ['Threat', 'Actor', 'Campaign', 'Malware', 'Tool'],
      to: ['Technique', 'Malware', 'Tool'],
    },
    CONDUCTS: { from: ['Actor'], to: ['Campaign'] },
    TARGETS: { from: ['Actor', 'Campaign', 'Threat', 'Malware', 'Tool'], to: ['Target'] },
    CONTAINS: { from: ['Threat'], to: ['Indicator', 'Vulnerability'] },
    EXPLOITS: {
      from: ['Technique', 'Threat', 'Actor', 'Campaign', 'Malware', 'Tool'],
      to: ['Vulnerability'],
    },
    RELATED_TO: { from: ANY, to: ANY },
    SUBTECHNIQUE_OF: { from: ['Technique'], to: ['Technique'] },
    IN_TACTIC: { from: ['Technique'], to: ['Tactic'] },
    MITIGATES: { from: ['Mitigation'], to: ['Technique'] },
    ATTRIBUTED_TO: { from: ['Campaign', 'Threat', 'Actor'], to: ['Actor'] },
  };

/** True when `type` is a known node type. */
export function isNodeType(type: string): type is NodeType {
  return (NODE_TYPES as readonly string[]).includes(type);
}

/** True when `type` is a known edge type. */
export function isEdgeType(type: string): type is EdgeType {
  return (EDGE_TYPES as readonly string[]).includes(type);
}

/** True when an edge of `type` may join a `from` node to a `to` node. */
export function edgeAllowed(type: EdgeType, from: NodeType, to: NodeType): boolean {
  const rule = EDGE_RULES[type];
  return rule.from.includes(from) && rule.to.includes(to);
}

/** Free-form JSON properties of a node or edge (no prose: ids, dates, flags, short names). */
export type Props = Record<string, unknown>;

/**
 * How a name or identifier points at a node, strongest first:
 * `name` the node's own name, `alias` an alias its primary source gives,
 * `synonym` a weaker alias from a secondary source (e.g. MISP synonyms merged
 * into an ATT&CK group), `xid` an external identifier (ATT&CK id, STIX/MISP uuid, ISO code).
 */
export type AliasKind = 'name' | 'alias' | 'synonym' | 'xid';

/** Rank of an {@link AliasKind}: lower is stronger. */
export const ALIAS_RANK: Readonly<Record<AliasKind, number>> = { name: 0, alias: 1, synonym: 2, xid: 3 };

/** A node as stored. */
export interface GraphNode {
  /** Stable key, `<type>:<key>` (see `ids.ts`), e.g. `technique:T1059.001`, `actor:G0007`. */
  id: string;
  type: NodeType;
  /** Display name. */
  name: string;
  props: Props;
  /** Every source that contributed to the node (`attack`, `misp-galaxy`, `kev`, `prediction`, ...). */
  sources: string[];
  /** ISO 8601 timestamps, from the store's clock. */
  createdAt: string;
  updatedAt: string;
}

/** An edge without its props and timestamp: what traversals read (lighter to fetch in bulk). */
export interface EdgeRef {
  src: string;
  srcType: NodeType;
  type: EdgeType;
  dst: string;
  dstType: NodeType;
  source: string;
  /** 0..1. */
  confidence: number;
}

/** An edge as stored: one row per (src, type, dst, source), so every source keeps its own confidence. */
export interface GraphEdge extends EdgeRef {
  src: string;
  srcType: NodeType;
  type: EdgeType;
  dst: string;
  dstType: NodeType;
  /** Who asserted it (`attack`, `misp-galaxy`, `mappings-explorer`, `stix:<feed>`, `prediction`, ...). */
  source: string;
  /** 0..1, how much the source believes it. */
  confidence: number;
  props: Props;
  updatedAt: string;
}

/** One alias row. */
export interface AliasEntry {
  nodeId: string;
  nodeType: NodeType;
  kind: AliasKind;
  /** As the source wrote it. */
  value: string;
  /** `normaliseName(value)` for names, lower-cased value for xids. */
  norm: string;
}

/** A node to create or merge into. */
export interface NodeInput {
  id: string;
  type: NodeType;
  name: string;
  /**
   * True when this source defines the node (ATT&CK for `actor:G0007`): its name
   * replaces the stored one. Otherwise the first name stays. Default false.
   */
  primary?: boolean;
  /** Merged shallowly into the stored props (new keys win). */
  props?: Props;
  /** Names other than `name`, recorded with `aliasKind` (default `alias`). */
  aliases?: readonly string[];
  aliasKind?: 'alias' | 'synonym';
  /** External identifiers (see `ids.ts` for the prefixes). */
  xids?: readonly string[];
  /** Added to the node's sources. */
  source: string;
}

/** An edge to create or replace (same src, type, dst and source). */
export interface EdgeInput {
  src: string;
  type: EdgeType;
  dst: string;
  source: string;
  /** 0..1. */
  confidence: number;
  props?: Props;
}

/** What `apply()` writes in one transaction. */
export interface GraphBatch {
  nodes: readonly NodeInput[];
  edges: readonly EdgeInput[];
}

/** What `apply()` changed. */
export interface ApplyResult {
  nodesCreated: number;
  nodesUpdated: number;
  edgesWritten: number;
  /** Edges deleted by `replaceEdgesFrom`. */
  edgesRemoved: number;
  aliasesAdded: number;
}
