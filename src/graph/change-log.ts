import type { WriteEffect } from './apply-plan.js';
import type { EdgeRef, EdgeType, NodeType } from './schema.js';

/**
 * One row of the graph change log (`graph_changes`, see graph migration 5 on PostgreSQL, 4 on
 * SQLite), in its column order: kind, src (or node id), src_type (or node type), type, dst,
 * dst_type, source, confidence. Unused columns are null.
 */
export type ChangeRow = [
  kind: string,
  src: string | null,
  srcType: string | null,
  type: string | null,
  dst: string | null,
  dstType: string | null,
  source: string | null,
  confidence: number | null,
];

/** The columns of {@link ChangeRow}, for the SELECT that reads the log. */
export const CHANGE_COLS = 'kind, src, src_type, type, dst, dst_type, source, confidence';

/**
 * What the log rows after a snapshot did, as the cache applies an own write: the nodes and edges
 * they created and the nodes whose row changed. `added` is undefined (the cache must reload) when
 * a row is a `reset` (a delete, TRUNCATE, a changed edge confidence, key or end type, a changed node
 * id or type), is not understood, or when there are more than `maxRows` rows.
 */
export function effectOfChanges(rows: readonly ChangeRow[], maxRows: number): WriteEffect {
  const nodes: { id: string; type: NodeType }[] = [];
  const edges: EdgeRef[] = [];
  const updated: string[] = [];
  const refused: WriteEffect = { added: undefined, updated: [] };
  if (rows.length > maxRows) return refused;
  for (const [kind, src, srcType, type, dst, dstType, source, confidence] of rows) {
    if (kind === 'node' && src !== null && srcType !== null)
      nodes.push({ id: src, type: srcType as NodeType });
    else if (kind === 'row' && src !== null) updated.push(src);
    else if (
      kind === 'edge' &&
      src !== null &&
      srcType !== null &&
      type !== null &&
      dst !== null &&
      dstType !== null &&
      source !== null &&
      confidence !== null
    )
      edges.push({
        src,
        srcType: srcType as NodeType,
        type: type as EdgeType,
        dst,
        dstType: dstType as NodeType,
        source,
        confidence,
      });
    else return refused;
  }
  return { added: { nodes, edges }, updated };
}
