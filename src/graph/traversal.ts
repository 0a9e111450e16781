import { AppError } from '../core/index.js';
import type {
  Direction,
  GraphPath,
  LinkQuery,
  NeighbourOptions,
  NeighbourResult,
  PathOptions,
  SharedNeighbour,
  SharedNeighbourOptions,
} from './contract.js';
import type { EdgeRef, GraphNode, NodeType } from './schema.js';

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

async function requireNode(reader: EdgeReader, id: string): Promise<GraphNode> {
  const [node] = await reader.getNodes([id]);
  if (!node) throw new AppError('CS_ERR_NOT_FOUND', `No graph node ${id}`, { details: { id } });
  return node;
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

/** Implements {@link GraphStore.neighbours}. */
export async function traverseNeighbours(
  reader: EdgeReader,
  start: string,
  options: NeighbourOptions = {},
): Promise<NeighbourResult> {
  const depth = intOption(options.depth, 1, 1, 4, 'depth');
  const limit = intOption(options.limit, 200, 1, 10_000, 'limit');
  const maxVisited = intOption(options.maxVisited, 50_000, 1, 1_000_000, 'maxVisited');
  const direction = options.direction ?? 'both';
  await requireNode(reader, start);
  const through = options.throughTypes ? new Set<NodeType>(options.throughTypes) : undefined;
  const wanted = options.nodeTypes ? new Set<NodeType>(options.nodeTypes) : undefined;
  const visited = new Map<string, { depth: number; via: EdgeRef; type: NodeType }>();
  const seen = new Set<string>([start]);
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
    const from = new Set(frontier);
    // One pass: for each newly reached node keep its best edge (no sort of the whole level).
    const level = new Map<string, { via: EdgeRef; type: NodeType }>();
    for (const e of await reader.links(query)) {
      for (const { far, farType } of farEnds(e, from, direction)) {
        if (seen.has(far)) continue;
        const before = level.get(far);
        if (!before || better(e, before.via)) level.set(far, { via: e, type: farType });
      }
    }
    let reached = [...level.entries()];
    if (visited.size + reached.length > maxVisited) {
      truncated = true;
      reached = reached
        .sort(([ia, a], [ib, b]) => b.via.confidence - a.via.confidence || (ia < ib ? -1 : 1))
        .slice(0, maxVisited - visited.size);
    }
    const next: string[] = [];
    for (const [far, v] of reached) {
      seen.add(far);
      visited.set(far, { depth: d, via: v.via, type: v.type });
      if (!through || through.has(v.type)) next.push(far);
    }
    frontier = next.sort();
  }
  const candidates = [...visited.entries()]
    .filter(([, v]) => !wanted || wanted.has(v.type))
    .sort(
      ([ia, a], [ib, b]) => a.depth - b.depth || b.via.confidence - a.via.confidence || (ia < ib ? -1 : 1),
    );
  if (candidates.length > limit) truncated = true;
  const chosen = candidates.slice(0, limit);
  const nodes = new Map((await reader.getNodes(chosen.map(([id]) => id))).map((n) => [n.id, n]));
  const neighbours = chosen.flatMap(([id, v]) => {
    const node = nodes.get(id);
    return node ? [{ node, depth: v.depth, via: v.via }] : [];
  });
  return { start, neighbours, reached: visited.size, truncated };
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
  for (const [v, others] of adjacent) {
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
