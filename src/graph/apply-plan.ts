import { AppError } from '../core/index.js';
import { normaliseName, normaliseXid } from './normalise.js';
import {
  type AliasEntry,
  type EdgeInput,
  type EdgeRef,
  edgeAllowed,
  type GraphBatch,
  type GraphEdge,
  isEdgeType,
  isNodeType,
  type NodeType,
  type Props,
} from './schema.js';

/**
 * The backend-independent half of `apply()`: validate a batch against the
 * schema and what is stored, merge it into the stored nodes, and work out the
 * rows that actually change. Backends only read the existing rows and write the plan.
 */

/** Limits on stored values (characters). */
export const LIMITS = Object.freeze({ id: 2200, name: 1024, alias: 512, source: 200, propsJson: 65536 });

/** What a backend reads before planning: the stored state of the batch's nodes. */
export interface StoredNodeCore {
  id: string;
  type: NodeType;
  name: string;
  props: Props;
  sources: string[];
  createdAt: string;
}

/** A node row to insert or update. */
export interface NodeRow extends StoredNodeCore {
  updatedAt: string;
  isNew: boolean;
}

/** The rows one `apply()` writes. */
export interface ApplyPlan {
  nodeRows: NodeRow[];
  aliasRows: AliasEntry[];
  edgeRows: GraphEdge[];
  created: number;
  updated: number;
}

/** Edge key used to compare with stored edges. */
export function edgeKey(e: { src: string; type: string; dst: string; source: string }): string {
  return `${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`;
}

/** JSON with object keys sorted, so equal values compare equal whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return v;
  });
}

function bad(message: string, details: Record<string, unknown>): AppError {
  return new AppError('CS_ERR_VALIDATION', `Graph batch is invalid: ${message}`, { details });
}

function checkString(value: unknown, max: number, what: string, where: Record<string, unknown>): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) {
    throw bad(`${what} must be a non-empty string of at most ${max} characters without NUL`, where);
  }
  return value;
}

function checkProps(props: unknown, where: Record<string, unknown>): Props {
  if (props === undefined) return {};
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw bad('props must be an object', where);
  }
  // PostgreSQL JSONB refuses NUL characters; they carry no meaning in our props. Removed from the
  // values (keys included) rather than from the JSON text, where `\\` before `\u0000` hid one.
  let json = JSON.stringify(props);
  if (json.includes('\\u0000')) json = JSON.stringify(withoutNul(JSON.parse(json)));
  if (json.length > LIMITS.propsJson) throw bad(`props exceed ${LIMITS.propsJson} characters of JSON`, where);
  return JSON.parse(json) as Props;
}

/** Parsed JSON `value` with every NUL character removed from its strings and object keys, at any depth. */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a key as JSON.parse keeps it.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', ''), withoutNul(v)]),
    );
  }
  return value;
}

/** Every node id the batch mentions (its nodes and both ends of its edges). */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * For `replaceEdgesFrom`: the stored edges of a (src, source) taken from the edges `apply`
 * already read in its transaction (every edge of the batch's srcs, read before any write),
 * instead of a second query per (src, source). Returns undefined when they must be queried:
 * the src was not read, or the src or source holds a UTF-16 surrogate (a lone one reaches
 * the database as U+FFFD, so the stored value may not equal the string). The rows are the
 * same as the query's; their order may differ, which changes nothing (each delete logs the
 * same `reset` row).
 */
export function storedEdgesFrom<R extends { src: string; source: string }>(
  fetched: readonly R[],
  fetchedSrcs: ReadonlySet<string>,
): (src: string, source: string) => R[] | undefined {
  let bySrc: Map<string, R[]> | undefined;
  return (src, source) => {
    if (!fetchedSrcs.has(src) || SURROGATE.test(src) || SURROGATE.test(source)) return undefined;
    if (bySrc === undefined) {
      bySrc = new Map();
      for (const r of fetched) {
        const list = bySrc.get(r.src);
        if (list === undefined) bySrc.set(r.src, [r]);
        else list.push(r);
      }
    }
    return (bySrc.get(src) ?? []).filter((r) => r.source === source);
  };
}

export function batchNodeIds(batch: GraphBatch): string[] {
  const ids = new Set<string>();
  for (const n of batch.nodes) ids.add(n.id);
  for (const e of batch.edges) {
    ids.add(e.src);
    ids.add(e.dst);
  }
  return [...ids];
}

/**
 * Validates `batch` and merges it into `existing` (the stored nodes among
 * {@link batchNodeIds}), returning the rows to write. `existingEdges` maps
 * {@link edgeKey} to the stored confidence and `stableJson(props)` of edges the
 * batch touches, so unchanged edges are not rewritten.
 *
 * @throws AppError CS_ERR_VALIDATION on the first problem found.
 */
export function planApply(
  batch: GraphBatch,
  existing: ReadonlyMap<string, StoredNodeCore>,
  existingEdges: ReadonlyMap<string, { confidence: number; propsJson: string }>,
  nowIso: string,
): ApplyPlan {
  const merged = new Map<string, NodeRow>();
  const aliasRows = new Map<string, AliasEntry>();
  const addAlias = (nodeId: string, nodeType: NodeType, kind: AliasEntry['kind'], value: string) => {
    const v = value.trim().replaceAll('\u0000', '');
    if (v.length === 0) return;
    if (v.length > LIMITS.alias) throw bad(`alias longer than ${LIMITS.alias} characters`, { nodeId });
    const norm = kind === 'xid' ? normaliseXid(v) : normaliseName(v);
    if (norm.length === 0) return;
    const key = `${norm}\u0000${nodeId}\u0000${kind}`;
    if (!aliasRows.has(key)) aliasRows.set(key, { norm, nodeId, nodeType, kind, value: v });
  };

  batch.nodes.forEach((input, index) => {
    const where = { node: index, id: input.id };
    const id = checkString(input.id, LIMITS.id, 'node id', where);
    if (!isNodeType(input.type)) throw bad(`unknown node type ${String(input.type)}`, where);
    const name = checkString(input.name?.trim(), LIMITS.name, 'node name', where);
    const source = checkString(input.source, LIMITS.source, 'node source', where);
    const props = checkProps(input.props, where);
    const before = merged.get(id) ?? existing.get(id);
    if (before && before.type !== input.type) {
      throw bad(`node ${id} is a ${before.type}, not a ${input.type}`, where);
    }
    const row: NodeRow = before
      ? {
          ...before,
          name: input.primary === true ? name : before.name,
          props: { ...before.props, ...props },
          sources: before.sources.includes(source) ? before.sources : [...before.sources, source].sort(),
          updatedAt: nowIso,
          isNew: !existing.has(id),
        }
      : {
          id,
          type: input.type,
          name,
          props,
          sources: [source],
          createdAt: nowIso,
          updatedAt: nowIso,
          isNew: true,
        };
    merged.set(id, row);
    // Indicators and threats are found by id; a name alias per indicator would only bloat the table.
    if (input.type !== 'Indicator' && input.type !== 'Threat') addAlias(id, input.type, 'name', name);
    for (const a of input.aliases ?? []) {
      if (typeof a !== 'string') throw bad('aliases must be strings', where);
      addAlias(id, input.type, input.aliasKind ?? 'alias', a);
    }
    for (const x of input.xids ?? []) {
      if (typeof x !== 'string') throw bad('xids must be strings', where);
      addAlias(id, input.type, 'xid', x);
    }
  });

  const typeOf = (id: string): NodeType | undefined => merged.get(id)?.type ?? existing.get(id)?.type;
  const edgeRows = new Map<string, GraphEdge>();
  batch.edges.forEach((e: EdgeInput, index) => {
    const where = { edge: index, src: e.src, type: e.type, dst: e.dst };
    if (!isEdgeType(e.type)) throw bad(`unknown edge type ${String(e.type)}`, where);
    const srcType = typeOf(e.src);
    const dstType = typeOf(e.dst);
    if (!srcType || !dstType) throw bad(`edge joins an unknown node ${srcType ? e.dst : e.src}`, where);
    if (!edgeAllowed(e.type, srcType, dstType)) {
      throw bad(`${srcType} -[${e.type}]-> ${dstType} is not in the schema`, where);
    }
    const source = checkString(e.source, LIMITS.source, 'edge source', where);
    if (
      typeof e.confidence !== 'number' ||
      !Number.isFinite(e.confidence) ||
      e.confidence < 0 ||
      e.confidence > 1
    ) {
      throw bad('edge confidence must be a number in [0, 1]', where);
    }
    const props = checkProps(e.props, where);
    const key = edgeKey({ ...e, source });
    edgeRows.set(key, {
      src: e.src,
      srcType,
      type: e.type,
      dst: e.dst,
      dstType,
      source,
      confidence: e.confidence,
      props,
      updatedAt: nowIso,
    });
  });

  const nodeRows: NodeRow[] = [];
  let created = 0;
  let updated = 0;
  for (const row of merged.values()) {
    const before = existing.get(row.id);
    if (!before) {
      created++;
      nodeRows.push(row);
    } else if (
      before.name !== row.name ||
      stableJson(before.props) !== stableJson(row.props) ||
      before.sources.join('\u0000') !== row.sources.join('\u0000')
    ) {
      updated++;
      nodeRows.push(row);
    }
  }
  const changedEdges = [...edgeRows.entries()]
    .filter(([key, e]) => {
      const before = existingEdges.get(key);
      return !before || before.confidence !== e.confidence || before.propsJson !== stableJson(e.props);
    })
    .map(([, e]) => e);
  return { nodeRows, aliasRows: [...aliasRows.values()], edgeRows: changedEdges, created, updated };
}

/**
 * What one `apply()` did to the graph's structure (node ids and types, edge keys and
 * confidences), for the writer's adjacency cache: the nodes and edges it created and the
 * existing nodes whose row it changed. `added` is undefined when it also changed an
 * existing edge's confidence or removed edges, which the cache does not apply in place.
 */
export interface WriteEffect {
  added: { nodes: { id: string; type: NodeType }[]; edges: EdgeRef[] } | undefined;
  updated: string[];
}

/** The {@link WriteEffect} of `plan` (planned against `existingEdges`) followed by `edgesRemoved` removals. */
export function writeEffect(
  plan: ApplyPlan,
  existingEdges: ReadonlyMap<string, { confidence: number }>,
  edgesRemoved: number,
): WriteEffect {
  const updated = plan.nodeRows.filter((n) => !n.isNew).map((n) => n.id);
  const nodes = plan.nodeRows.filter((n) => n.isNew).map((n) => ({ id: n.id, type: n.type }));
  const edges: EdgeRef[] = [];
  let additive = edgesRemoved === 0;
  for (const e of plan.edgeRows) {
    const before = existingEdges.get(edgeKey(e));
    // Props are not part of the structure: a props-only change leaves it as it is.
    if (before) additive &&= before.confidence === e.confidence;
    else
      edges.push({
        src: e.src,
        srcType: e.srcType,
        type: e.type,
        dst: e.dst,
        dstType: e.dstType,
        source: e.source,
        confidence: e.confidence,
      });
  }
  return { added: additive ? { nodes, edges } : undefined, updated };
}
