import type { AliasEntry, GraphEdge, GraphNode, NodeType } from './schema.js';

/** Row shapes of the SQLite graph tables and their mapping to the graph types. */

/** A `graph_nodes` row. */
export interface NodeRowDb {
  id: string;
  type: NodeType;
  name: string;
  props: string;
  sources: string;
  created_at: string;
  updated_at: string;
}
/** A `graph_edges` row. */
export interface EdgeRowDb {
  src: string;
  src_type: NodeType;
  type: GraphEdge['type'];
  dst: string;
  dst_type: NodeType;
  source: string;
  confidence: number;
  props: string;
  updated_at: string;
}
/** A `graph_aliases` row. */
export interface AliasRowDb {
  norm: string;
  node_id: string;
  node_type: NodeType;
  kind: AliasEntry['kind'];
  value: string;
}

/** The `graph_edges` columns in row order. */
export const EDGE_COLS = 'src, src_type, type, dst, dst_type, source, confidence, props, updated_at';

/** A node row as a {@link GraphNode}. */
export function toNode(r: NodeRowDb): GraphNode {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    props: JSON.parse(r.props) as GraphNode['props'],
    sources: JSON.parse(r.sources) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** An edge row as a {@link GraphEdge}. */
export function toEdge(r: EdgeRowDb): GraphEdge {
  return {
    src: r.src,
    srcType: r.src_type,
    type: r.type,
    dst: r.dst,
    dstType: r.dst_type,
    source: r.source,
    confidence: r.confidence,
    props: JSON.parse(r.props) as GraphEdge['props'],
    updatedAt: r.updated_at,
  };
}

/** An alias row as an {@link AliasEntry}. */
export function toAlias(r: AliasRowDb): AliasEntry {
  return { norm: r.norm, nodeId: r.node_id, nodeType: r.node_type, kind: r.kind, value: r.value };
}
