import { AppError } from '../core/index.js';
import type {
  Direction,
  GraphPath,
  LinkQuery,
  NeighbourOptions,
  NeighbourResult,
  PathOptions,
  ReachedNode,
  ReachQuery,
  SharedNeighbour,
  SharedNeighbourOptions,
} from './contract.js';
import type { EdgeRef, EdgeType, GraphNode, NodeType } from './schema.js';

/**
 * Traversals written once over the lean `links()` primitive, so both backends
 * answer them identically: one indexed query per hop (per level, in both
 * directions for the shortest path), never a load of the whole graph. Results
 * do not depend on the order the database returns rows in: among edges reaching
 * a node, the strongest wins, then the first by key.
 */

/** What a traversal needs from a store. */
export interface EdgeReader {
  links(query: LinkQuery): Promise<EdgeRef[]>;
  reach(query: ReachQuery): Promise<ReachedNode[]>;
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
}

function intOption(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new AppError('CS_ERR_VALIDATION', `${name} must be an integer from ${min} to ${max}, got ${v}`, {
      details: { field: name, min, max },
    });
  }
  return v;
}

/** The error of a traversal whose start (or end) node does not exist. */
export function nodeNotFound(id: string): AppError {
  return new AppError('CS_ERR_NOT_FOUND', `No graph node ${id}`, { details: { id } });
}

async function requireNode(reader: EdgeReader, id: string): Promise<GraphNode> {
  const [node] = await reader.getNodes([id]);
  if (!node) throw nodeNotFound(id);
  return node;
}

/** The options of a `neighbours` query, validated, with their defaults. */
export interface NeighbourQuery {
  depth: number;
  limit: number;
  maxVisited: number;
  direction: Direction;
  edgeTypes: readonly EdgeType[] | undefined;
  nodeTypes: readonly NodeType[] | undefined;
  throughTypes: readonly NodeType[] | undefined;
}

/**
 * Validates {@link NeighbourOptions} (depth 1..4, limit 1..10000, maxVisited 1..1000000) and fills in the defaults.
 *
 * @throws AppError CS_ERR_VALIDATION when a number is out of range.
 */
export function neighbourQuery(options: NeighbourOptions): NeighbourQuery {
  return {
    depth: intOption(options.depth, 1, 1, 4, 'depth'),
    limit: intOption(options.limit, 200, 1, 10_000, 'limit'),
    maxVisited: intOption(options.maxVisited, 50_000, 1, 1_000_000, 'maxVisited'),
    direction: options.direction ?? 'both',
    edgeTypes: options.edgeTypes,
    nodeTypes: options.nodeTypes,
    throughTypes: options.throughTypes,
  };
}

function key(e: EdgeRef): string {
  return `${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`;
}

/** True when `a` should be preferred to `b` as the edge reaching a node: stronger, then first by key. */
function better(a: EdgeRef, b: EdgeRef): boolean {
  return a.confidence !== b.confidence ? a.confidence > b.confidence : key(a) < key(b);
}

/** For an edge read from `from` nodes in `direction`, the far ends (0, 1 or 2 of them for `both`). */
function farEnds(
  e: EdgeRef,
  from: ReadonlySet<string>,
  direction: Direction,
): { near: string; far: string; farType: NodeType }[] {
  const out: { near: string; far: string; farType: NodeType }[] = [];
  if (direction !== 'in' && from.has(e.src)) out.push({ near: e.src, far: e.dst, farType: e.dstType });
  if (direction !== 'out' && from.has(e.dst)) out.push({ near: e.dst, far: e.src, farType: e.srcType });
  return out;
}

function reverse(direction: Direction): Direction {
  return direction === 'out' ? 'in' : direction === 'in' ? 'out' : 'both';
}

/**
 * Implements {@link GraphStore.neighbours}. Each level asks the store for the
 * distinct nodes it reaches ({@link GraphStore.reach}: de-duplicated in the
 * database, one short row per node), so a level next to a hub (a technique used
 * by 500 malware families) costs one row per node rather than one per edge. The
 * edge each returned node was reached by is read afterwards, only for the nodes
 * kept after `limit`: one {@link GraphStore.links} query per depth, restricted to
 * those nodes, choosing the same edge as a full read of the level would.
 */
export async function traverseNeighbours(
  reader: EdgeReader,
  start: string,
  options: NeighbourOptions = {},
): Promise<NeighbourResult> {
  const { depth, limit, maxVisited, direction } = neighbourQuery(options);
  const startNode = await requireNode(reader, start);
  const through = options.throughTypes ? new Set<NodeType>(options.throughTypes) : undefined;
  const wanted = options.nodeTypes ? new Set<NodeType>(options.nodeTypes) : undefined;
  const visited = new Map<string, Visit>();
  const seen = new Set<string>([start]);
  /** The query of each level (its `nodeIds` are the nodes expanded at that level), to read the edges of the chosen nodes. */
  const levels: LinkQuery[] = [];
  let frontier = [start];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0 && !truncated; d++) {
    const query: LinkQuery = { nodeIds: frontier, direction };
    if (options.edgeTypes) query.edgeTypes = options.edgeTypes;
    // Push type filters into the query when they prune: on the last hop only wanted types matter;
    // before it, only wanted types and types that may be expanded.
    if (wanted && (d === depth || through)) {
      query.otherTypes = d === depth ? [...wanted] : [...new Set([...wanted, ...(through ?? [])])];
    }
    levels.push(query);
    // The first level reads the start node's edges (one node: as many rows as its degree) and keeps them;
    // later levels start from many nodes and ask for distinct nodes only.
    let reached: (ReachedNode & { via?: EdgeRef })[] =
      d === 1 ? await firstLevel(reader, query, seen) : await reader.reach({ ...query, exclude: [...seen] });
    if (visited.size + reached.length > maxVisited) {
      truncated = true;
      reached = reached
        .sort((a, b) => b.confidence - a.confidence || (a.id < b.id ? -1 : 1))
        .slice(0, maxVisited - visited.size);
    }
    const next: string[] = [];
    for (const r of reached) {
      seen.add(r.id);
      visited.set(r.id, {
        depth: d,
        confidence: r.confidence,
        type: r.type,
        via: r.via,
        firstEdge: r.firstEdge,
      });
      if (!through || through.has(r.type)) next.push(r.id);
    }
    frontier = next.sort();
  }
  const candidates = [...visited.entries()]
    .filter(([, v]) => !wanted || wanted.has(v.type))
    .sort(([ia, a], [ib, b]) => a.depth - b.depth || b.confidence - a.confidence || (ia < ib ? -1 : 1));
  if (candidates.length > limit) truncated = true;
  const chosen = candidates.slice(0, limit);
  const typeOf = (id: string) => (id === start ? startNode.type : visited.get(id)?.type);
  for (const [id, v] of chosen) if (!v.via && v.firstEdge) v.via = edgeFromKey(v.firstEdge, id, v, typeOf);
  const [via, nodeList] = await Promise.all([
    viaEdges(reader, levels, chosen, direction),
    reader.getNodes(chosen.map(([id]) => id)),
  ]);
  const nodes = new Map(nodeList.map((n) => [n.id, n]));
  const neighbours = chosen.flatMap(([id, v]) => {
    const node = nodes.get(id);
    const edge = v.via ?? via.get(id);
    return node && edge ? [{ node, depth: v.depth, via: edge }] : [];
  });
  return { start, neighbours, reached: visited.size, truncated };
}

/** A node reached by {@link traverseNeighbours}; `via` is known at once on the first level only. */
interface Visit {
  depth: number;
  confidence: number;
  type: NodeType;
  via: EdgeRef | undefined;
  firstEdge: string | undefined;
}

/** The edge named by a {@link ReachedNode.firstEdge} key, reaching `far`; undefined when the key does not parse. */
function edgeFromKey(
  key: string,
  far: string,
  v: Visit,
  typeOf: (id: string) => NodeType | undefined,
): EdgeRef | undefined {
  const [src, type, dst, source, ...rest] = key.split('\u0000');
  if (src === undefined || type === undefined || dst === undefined || source === undefined || rest.length > 0)
    return undefined;
  const srcType = src === far ? v.type : typeOf(src);
  const dstType = dst === far ? v.type : typeOf(dst);
  if (!srcType || !dstType || (src !== far && dst !== far)) return undefined;
  return { src, srcType, type: type as EdgeRef['type'], dst, dstType, source, confidence: v.confidence };
}

/** The first level from its edges: each unseen far end with its best edge. */
async function firstLevel(
  reader: EdgeReader,
  query: LinkQuery,
  seen: ReadonlySet<string>,
): Promise<(ReachedNode & { via: EdgeRef })[]> {
  const from = new Set(query.nodeIds);
  const level = new Map<string, { via: EdgeRef; type: NodeType }>();
  for (const e of await reader.links(query)) {
    for (const { far, farType } of farEnds(e, from, query.direction ?? 'both')) {
      if (seen.has(far)) continue;
      const before = level.get(far);
      if (!before || better(e, before.via)) level.set(far, { via: e, type: farType });
    }
  }
  return [...level].map(([id, v]) => ({ id, type: v.type, confidence: v.via.confidence, via: v.via }));
}

/**
 * For the chosen nodes of the later levels, the edge each was reached by: among
 * the edges of its level's query that reach it, the strongest, then the first by
 * key ({@link better}).
 * The chosen nodes of a level were unseen when it was read, so they are disjoint
 * from the level's `nodeIds` and `otherIds` finds exactly their edges.
 */
async function viaEdges(
  reader: EdgeReader,
  levels: readonly LinkQuery[],
  chosen: readonly (readonly [string, Visit])[],
  direction: Direction,
): Promise<Map<string, EdgeRef>> {
  const via = new Map<string, EdgeRef>();
  const reads = levels.map(async (query, i) => {
    const ids = chosen.filter(([, v]) => v.depth === i + 1 && !v.via).map(([id]) => id);
    if (ids.length === 0) return;
    const wantedIds = new Set(ids);
    const from = new Set(query.nodeIds);
    for (const e of await reader.links({ ...query, otherIds: ids })) {
      for (const { far } of farEnds(e, from, direction)) {
        if (!wantedIds.has(far)) continue;
        const before = via.get(far);
        if (!before || better(e, before)) via.set(far, e);
      }
    }
  });
  await Promise.all(reads);
  return via;
}

/** Implements {@link GraphStore.sharedNeighbours}. */
export async function rankSharedNeighbours(
  reader: EdgeReader,
  nodeId: string,
  options: SharedNeighbourOptions = {},
): Promise<SharedNeighbour[]> {
  const limit = intOption(options.limit, 20, 1, 1000, 'limit');
  const direction = options.direction ?? 'both';
  const startNode = await requireNode(reader, nodeId);
  const first: LinkQuery = { nodeIds: [nodeId], direction };
  if (options.edgeTypes) first.edgeTypes = options.edgeTypes;
  if (options.viaTypes) first.otherTypes = options.viaTypes;
  const via = new Set<string>();
  for (const e of await reader.links(first)) {
    for (const { far } of farEnds(e, new Set([nodeId]), direction)) if (far !== nodeId) via.add(far);
  }
  if (via.size === 0) return [];
  const second: LinkQuery = {
    nodeIds: [...via],
    direction: reverse(direction),
    otherTypes: options.candidateTypes ?? [startNode.type],
  };
  if (options.edgeTypes) second.edgeTypes = options.edgeTypes;
  const adjacent = new Map<string, Set<string>>();
  for (const e of await reader.links(second)) {
    for (const { near, far } of farEnds(e, via, reverse(direction))) {
      if (near === far) continue;
      let set = adjacent.get(near);
      if (!set) {
        set = new Set();
        adjacent.set(near, set);
      }
      set.add(far);
    }
  }
  const scores = new Map<string, { score: number; shared: { id: string; degree: number }[] }>();
  // In id order, so each score sums its terms in the same order whatever order the rows came in
  // (floating-point sums differ in the last bit otherwise, and equal scores would tie differently).
  for (const [v, others] of [...adjacent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The start node always neighbours v, whether or not the candidate filter returned it.
    const degree = others.has(nodeId) ? others.size : others.size + 1;
    const weight = 1 / Math.log(Math.max(2, degree));
    for (const c of others) {
      if (c === nodeId) continue;
      let s = scores.get(c);
      if (!s) {
        s = { score: 0, shared: [] };
        scores.set(c, s);
      }
      s.score += weight;
      s.shared.push({ id: v, degree });
    }
  }
  const ranked = [...scores.entries()]
    .sort(([ia, a], [ib, b]) => b.score - a.score || b.shared.length - a.shared.length || (ia < ib ? -1 : 1))
    .slice(0, limit);
  const nodes = new Map((await reader.getNodes(ranked.map(([id]) => id))).map((n) => [n.id, n]));
  return ranked.flatMap(([id, s]) => {
    const node = nodes.get(id);
    if (!node) return [];
    const shared = s.shared
      .sort((a, b) => a.degree - b.degree || (a.id < b.id ? -1 : 1))
      .slice(0, 20)
      .map((x) => x.id);
    return [{ node, sharedCount: s.shared.length, score: s.score, shared }];
  });
}

interface Side {
  dist: Map<string, number>;
  parent: Map<string, { prev: string; edge: EdgeRef }>;
  frontier: string[];
  depth: number;
  direction: Direction;
}

/** Implements {@link GraphStore.shortestPath}: bidirectional breadth-first search, smaller side first. */
export async function findShortestPath(
  reader: EdgeReader,
  from: string,
  to: string,
  options: PathOptions = {},
): Promise<GraphPath | undefined> {
  const maxDepth = intOption(options.maxDepth, 6, 1, 10, 'maxDepth');
  const direction = options.direction ?? 'both';
  const a = await requireNode(reader, from);
  if (from === to) return { nodes: [a], edges: [] };
  await requireNode(reader, to);
  const fwd: Side = { dist: new Map([[from, 0]]), parent: new Map(), frontier: [from], depth: 0, direction };
  const bwd: Side = {
    dist: new Map([[to, 0]]),
    parent: new Map(),
    frontier: [to],
    depth: 0,
    direction: reverse(direction),
  };
  while (fwd.frontier.length > 0 && bwd.frontier.length > 0 && fwd.depth + bwd.depth < maxDepth) {
    const side = fwd.frontier.length <= bwd.frontier.length ? fwd : bwd;
    const other = side === fwd ? bwd : fwd;
    const query: LinkQuery = { nodeIds: side.frontier, direction: side.direction };
    if (options.edgeTypes) query.edgeTypes = options.edgeTypes;
    const fromSet = new Set(side.frontier);
    const level = new Map<string, { prev: string; edge: EdgeRef }>();
    for (const e of await reader.links(query)) {
      for (const { near, far } of farEnds(e, fromSet, side.direction)) {
        if (side.dist.has(far)) continue;
        const before = level.get(far);
        if (!before || better(e, before.edge)) level.set(far, { prev: near, edge: e });
      }
    }
    const next: string[] = [];
    const meet: string[] = [];
    for (const [far, p] of level) {
      side.dist.set(far, side.depth + 1);
      side.parent.set(far, p);
      next.push(far);
      if (other.dist.has(far)) meet.push(far);
    }
    side.depth++;
    side.frontier = next.sort();
    if (meet.length > 0) {
      const best = meet.sort(
        (x, y) => (other.dist.get(x) ?? 0) - (other.dist.get(y) ?? 0) || (x < y ? -1 : 1),
      )[0] as string;
      return buildPath(reader, best, fwd, bwd);
    }
  }
  return undefined;
}

async function buildPath(reader: EdgeReader, meet: string, fwd: Side, bwd: Side): Promise<GraphPath> {
  const ids: string[] = [meet];
  const edges: EdgeRef[] = [];
  for (let at = meet, p = fwd.parent.get(at); p; at = p.prev, p = fwd.parent.get(at)) {
    ids.unshift(p.prev);
    edges.unshift(p.edge);
  }
  for (let at = meet, p = bwd.parent.get(at); p; at = p.prev, p = bwd.parent.get(at)) {
    ids.push(p.prev);
    edges.push(p.edge);
  }
  const nodes = new Map((await reader.getNodes(ids)).map((n) => [n.id, n]));
  return { nodes: ids.flatMap((id) => nodes.get(id) ?? []), edges };
}
