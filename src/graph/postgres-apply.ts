import type pg from 'pg';
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
import {
  chunks,
  EDGE_COLS,
  type EdgeRowDb,
  NODE_COLS,
  type NodeRowDb,
  type Query,
  toNode,
} from './postgres-rows.js';
import type { ApplyResult, GraphBatch } from './schema.js';

/**
 * `apply()` on PostgreSQL: inside the caller's transaction (which holds the graph
 * write lock), read the stored state of the batch, plan with `planApply`, and
 * write what changes with multi-row `unnest` statements. Returns the result and
 * what the write did to the structure (for the writer's adjacency cache).
 */
export async function applyPostgres(
  q: Query,
  client: pg.PoolClient,
  batch: GraphBatch,
  options: ApplyOptions,
  now: string,
): Promise<{ result: ApplyResult; effect: WriteEffect }> {
  const existing = new Map<string, StoredNodeCore>();
  const ids = batchNodeIds(batch);
  for (const part of chunks(ids)) {
    const rows = await q<NodeRowDb>(
      `SELECT ${NODE_COLS} FROM graph_nodes WHERE id = ANY($1::text[])`,
      [part],
      client,
    );
    for (const r of rows) existing.set(r.id, toNode(r));
  }
  const existingEdges = new Map<string, { confidence: number; propsJson: string }>();
  const srcs = new Set(batch.edges.map((e) => e.src));
  const edgeRows: EdgeRowDb[] = [];
  for (const part of chunks([...srcs])) {
    const rows = await q<EdgeRowDb>(
      `SELECT ${EDGE_COLS} FROM graph_edges WHERE src = ANY($1::text[])`,
      [part],
      client,
    );
    for (const r of rows) {
      existingEdges.set(edgeKey(r), { confidence: r.confidence, propsJson: stableJson(r.props) });
      edgeRows.push(r);
    }
  }
  const plan = planApply(batch, existing, existingEdges, now);
  const edgesRemoved = await removeReplaced(q, client, batch, options, storedEdgesFrom(edgeRows, srcs));
  const aliasesAdded = await write(client, plan);
  if (aliasesAdded > 0) {
    await q(
      `INSERT INTO graph_meta (key, value) VALUES ('alias.revision', '1')
         ON CONFLICT (key) DO UPDATE SET value = (graph_meta.value::bigint + 1)::text`,
      [],
      client,
    );
  }
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
 * (`readAlready`, {@link storedEdgesFrom}: no round trip per recorded Threat).
 */
async function removeReplaced(
  q: Query,
  client: pg.PoolClient,
  batch: GraphBatch,
  options: ApplyOptions,
  readAlready: (src: string, source: string) => EdgeRowDb[] | undefined,
): Promise<number> {
  if (!options.replaceEdgesFrom?.length) return 0;
  const keep = new Set(batch.edges.map((e) => edgeKey(e)));
  let removed = 0;
  for (const { src, source } of options.replaceEdgesFrom) {
    const rows =
      readAlready(src, source) ??
      (await q<EdgeRowDb>(
        `SELECT ${EDGE_COLS} FROM graph_edges WHERE src = $1 AND source = $2`,
        [src, source],
        client,
      ));
    for (const r of rows) {
      if (keep.has(edgeKey(r))) continue;
      const res = await client.query(
        'DELETE FROM graph_edges WHERE src = $1 AND type = $2 AND dst = $3 AND source = $4',
        [r.src, r.type, r.dst, r.source],
      );
      removed += res.rowCount ?? 0;
    }
  }
  return removed;
}

async function write(client: pg.PoolClient, plan: ApplyPlan): Promise<number> {
  for (const part of chunks(plan.nodeRows)) {
    await client.query(
      `INSERT INTO graph_nodes (${NODE_COLS})
       SELECT id, type, name, props::jsonb, sources::jsonb, created_at, updated_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t(id, type, name, props, sources, created_at, updated_at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, props = excluded.props, sources = excluded.sources,
         updated_at = excluded.updated_at`,
      [
        part.map((n) => n.id),
        part.map((n) => n.type),
        part.map((n) => n.name),
        part.map((n) => JSON.stringify(n.props)),
        part.map((n) => JSON.stringify(n.sources)),
        part.map((n) => n.createdAt),
        part.map((n) => n.updatedAt),
      ],
    );
  }
  let aliasesAdded = 0;
  for (const part of chunks(plan.aliasRows)) {
    const res = await client.query(
      `INSERT INTO graph_aliases (norm, node_id, node_type, kind, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [
        part.map((a) => a.norm),
        part.map((a) => a.nodeId),
        part.map((a) => a.nodeType),
        part.map((a) => a.kind),
        part.map((a) => a.value),
      ],
    );
    aliasesAdded += res.rowCount ?? 0;
  }
  for (const part of chunks(plan.edgeRows)) {
    await client.query(
      `INSERT INTO graph_edges (${EDGE_COLS})
       SELECT src, src_type, type, dst, dst_type, source, confidence, props::jsonb, updated_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[])
         AS t(src, src_type, type, dst, dst_type, source, confidence, props, updated_at)
       ON CONFLICT (src, type, dst, source) DO UPDATE SET confidence = excluded.confidence, props = excluded.props,
         updated_at = excluded.updated_at`,
      [
        part.map((e) => e.src),
        part.map((e) => e.srcType),
        part.map((e) => e.type),
        part.map((e) => e.dst),
        part.map((e) => e.dstType),
        part.map((e) => e.source),
        part.map((e) => e.confidence),
        part.map((e) => JSON.stringify(e.props)),
        part.map((e) => e.updatedAt),
      ],
    );
  }
  return aliasesAdded;
}
