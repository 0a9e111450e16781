import type pg from 'pg';
import type { GraphEdge, GraphNode, NodeType } from './schema.js';

/** Row shapes of the PostgreSQL graph tables, their mapping, and the query helper type. */

/** Rows per multi-row statement. */
export const CHUNK = 5000;

/** Runs a query on the pool or on a transaction's client, mapping connection failures to CS_ERR_STORE_UNAVAILABLE. */
export type Query = <R extends pg.QueryResultRow>(
  sql: string,
  params?: unknown[],
  on?: pg.PoolClient,
) => Promise<R[]>;

/** The `graph_edges` columns in row order. */
export const EDGE_COLS = 'src, src_type, type, dst, dst_type, source, confidence, props, updated_at';
/** The `graph_nodes` columns in row order. */
export const NODE_COLS = 'id, type, name, props, sources, created_at, updated_at';

/** A `graph_nodes` row (JSONB parsed by pg). */
export interface NodeRowDb {
  id: string;
  type: NodeType;
  name: string;
  props: GraphNode['props'];
  sources: string[];
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
  props: GraphEdge['props'];
  updated_at: string;
}

/** A node row as a {@link GraphNode}. */
export function toNode(r: NodeRowDb): GraphNode {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    props: r.props,
    sources: r.sources,
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
    props: r.props,
    updatedAt: r.updated_at,
  };
}

/** Rows in slices of {@link CHUNK}, so one statement's arrays stay bounded. */
export function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}
