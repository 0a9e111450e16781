import type Database from 'better-sqlite3';
import {
  type ApplyPlan,
  batchNodeIds,
  edgeKey,
  planApply,
  type StoredNodeCore,
  stableJson,
  storedEdgesFrom,
  type WriteEffect,
  writeEffect,
} from './apply-plan.js';
import type { ApplyOptions } from './contract.js';
import type { ApplyResult, GraphBatch } from './schema.js';
import { EDGE_COLS, type EdgeRowDb, type NodeRowDb, toNode } from './sqlite-rows.js';

/**
 * `apply()` on SQLite: read the stored state of the batch's nodes and edges, plan
 * with `planApply`, then write only what changes. Runs inside the caller's
 * immediate transaction, so it is atomic and serialised with other writers.
 */

type Stmt = (sql: string) => Database.Statement;

/** Applies one batch; call inside a transaction. Returns its result and what it did to the structure. */
export function applySqlite(
  stmt: Stmt,
  batch: GraphBatch,
  options: ApplyOptions,
  now: string,
): { result: ApplyResult; effect: WriteEffect } {
  const ids = batchNodeIds(batch);
  const existing = new Map<string, StoredNodeCore>();
  const nodeRows = stmt(
    'SELECT id, type, name, props, sources, created_at, updated_at FROM graph_nodes WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(ids)) as NodeRowDb[];
  for (const r of nodeRows) existing.set(r.id, toNode(r));
  const srcs = [...new Set(batch.edges.map((e) => e.src))];
  const existingEdges = new Map<string, { confidence: number; propsJson: string }>();
  let edgeRows: EdgeRowDb[] = [];
  if (srcs.length > 0) {
    edgeRows = stmt(`SELECT ${EDGE_COLS} FROM graph_edges WHERE src IN (SELECT value FROM json_each(?))`).all(
      JSON.stringify(srcs),
    ) as EdgeRowDb[];
    for (const r of edgeRows) {
      existingEdges.set(edgeKey(r), {
        confidence: r.confidence,
        propsJson: stableJson(JSON.parse(r.props)),
      });
    }
  }
  const plan = planApply(batch, existing, existingEdges, now);
  const edgesRemoved = removeReplaced(stmt, batch, options, new Set(srcs), edgeRows);
  const aliasesAdded = write(stmt, plan);
  if (aliasesAdded > 0) bumpAliasRevision(stmt);
  const result = {
    nodesCreated: plan.created,
    nodesUpdated: plan.updated,
    edgesWritten: plan.edgeRows.length,
    edgesRemoved,
    aliasesAdded,
  };
  return { result, effect: writeEffect(plan, existingEdges, edgesRemoved) };
}

/**
 * Deletes the stored edges of each `replaceEdgesFrom` (src, source) that the batch does not
 * write; those of a src the batch also writes from come from the rows read already
 * ({@link storedEdgesFrom}).
 */
function removeReplaced(
  stmt: Stmt,
  batch: GraphBatch,
  options: ApplyOptions,
  fetchedSrcs: ReadonlySet<string>,
  fetched: readonly EdgeRowDb[],
): number {
  if (!options.replaceEdgesFrom?.length) return 0;
  const keep = new Set(batch.edges.map((e) => edgeKey(e)));
  const del = stmt('DELETE FROM graph_edges WHERE src = ? AND type = ? AND dst = ? AND source = ?');
  const readAlready = storedEdgesFrom(fetched, fetchedSrcs);
  let removed = 0;
  for (const { src, source } of options.replaceEdgesFrom) {
    const stored =
      readAlready(src, source) ??
      (stmt(`SELECT ${EDGE_COLS} FROM graph_edges WHERE src = ? AND source = ?`).all(
        src,
        source,
      ) as EdgeRowDb[]);
    for (const r of stored) {
      if (!keep.has(edgeKey(r))) removed += del.run(r.src, r.type, r.dst, r.source).changes;
    }
  }
  return removed;
}

function write(stmt: Stmt, plan: ApplyPlan): number {
  const upsertNode = stmt(
    `INSERT INTO graph_nodes (id, type, name, props, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, props = excluded.props, sources = excluded.sources,
     updated_at = excluded.updated_at`,
  );
  for (const n of plan.nodeRows) {
    upsertNode.run(
      n.id,
      n.type,
      n.name,
      JSON.stringify(n.props),
      JSON.stringify(n.sources),
      n.createdAt,
      n.updatedAt,
    );
  }
  const insertAlias = stmt(
    'INSERT OR IGNORE INTO graph_aliases (norm, node_id, node_type, kind, value) VALUES (?, ?, ?, ?, ?)',
  );
  let aliasesAdded = 0;
  for (const a of plan.aliasRows)
    aliasesAdded += insertAlias.run(a.norm, a.nodeId, a.nodeType, a.kind, a.value).changes;
  const upsertEdge = stmt(
    `INSERT INTO graph_edges (${EDGE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (src, type, dst, source) DO UPDATE SET confidence = excluded.confidence, props = excluded.props,
     updated_at = excluded.updated_at`,
  );
  for (const e of plan.edgeRows) {
    upsertEdge.run(
      e.src,
      e.srcType,
      e.type,
      e.dst,
      e.dstType,
      e.source,
      e.confidence,
      JSON.stringify(e.props),
      e.updatedAt,
    );
  }
  return aliasesAdded;
}

function bumpAliasRevision(stmt: Stmt): void {
  stmt(
    `INSERT INTO graph_meta (key, value) VALUES ('alias.revision', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
  ).run();
}
