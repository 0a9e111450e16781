import type { AdjacencyDelta } from './adjacency-delta.js';
import { directionMask } from './adjacency-snapshot.js';
import type { NeighbourQuery } from './traversal.js';

/** What {@link TraversalScratch.neighbours} found: node and edge numbers of the snapshot and its delta. */
export interface SnapshotNeighbours {
  /** The returned nodes, in result order, with their depth and the edge each was reached by. */
  chosen: { node: number; depth: number; edge: number }[];
  reached: number;
  truncated: boolean;
}

/**
 * Per-node work arrays of one snapshot, reused by every query on it: a query
 * stamps the slots it touches with its own number instead of clearing them.
 * Queries run synchronously one after the other (JavaScript has one thread),
 * so one set per snapshot is enough. The arrays grow (anew, by half) when the
 * delta has added nodes beyond them.
 */
export class TraversalScratch {
  #seen: Int32Array;
  #levelStamp: Int32Array;
  #bestEdge: Int32Array;
  #bestConfidence: Float64Array;
  #depth: Uint8Array;
  #stamp = 0;

  constructor(nodes: number) {
    this.#seen = new Int32Array(nodes);
    this.#levelStamp = new Int32Array(nodes);
    this.#bestEdge = new Int32Array(nodes);
    this.#bestConfidence = new Float64Array(nodes);
    this.#depth = new Uint8Array(nodes);
  }

  /** Room for `nodes` nodes; fresh arrays are zero, which no stamp equals. */
  #ensure(nodes: number): void {
    if (this.#seen.length >= nodes) return;
    const n = Math.max(nodes, Math.ceil(this.#seen.length * 1.5));
    this.#seen = new Int32Array(n);
    this.#levelStamp = new Int32Array(n);
    this.#bestEdge = new Int32Array(n);
    this.#bestConfidence = new Float64Array(n);
    this.#depth = new Uint8Array(n);
  }

  /**
   * `neighbours` on the snapshot, with the semantics of `traverseNeighbours`:
   * breadth-first, per node the strongest edge of its level then the first by
   * key, the same type filters, `maxVisited` cut and result order
   * (depth, confidence descending, id). Reads the snapshot's slots, then the
   * delta's added slots of the node; where an added node or edge is compared, by
   * its id or key (the delta's comparisons), as the numbers no longer follow them.
   */
  neighbours(g: AdjacencyDelta, start: number, q: NeighbourQuery): SnapshotNeighbours {
    this.#ensure(g.nodeCount);
    if (this.#stamp >= 0x7ffffff0) {
      this.#seen.fill(0);
      this.#levelStamp.fill(0);
      this.#stamp = 0;
    }
    const stamp = ++this.#stamp;
    const seen = this.#seen;
    const levelStamp = this.#levelStamp;
    const bestEdge = this.#bestEdge;
    const bestConfidence = this.#bestConfidence;
    const depthOf = this.#depth;
    const { offsets, slotEdge, slotFar, slotOut } = g.base;
    const { edgeConfidence, edgeType, nodeType } = g;
    const baseNodes = g.base.nodeCount;
    const baseEdges = g.base.edgeCount;
    const added = g.addedEdges > 0;
    const compareNodes = g.addedNodes > 0 ? (a: number, b: number) => g.compareNodes(a, b) : byNumber;
    const follow = directionMask(q.direction);
    // Edge `e` before the best edge of `f` so far, by key.
    const before = (e: number, f: number): boolean => {
      const b = bestEdge[f] as number;
      return e < baseEdges && b < baseEdges ? e < b : g.edgeBefore(e, b);
    };
    const edgeOk = g.edgeTypeMask(q.edgeTypes);
    const wanted = g.nodeTypeMask(q.nodeTypes);
    const through = g.nodeTypeMask(q.throughTypes);
    // Before the last hop, with both filters, only wanted and through types are worth reaching.
    const wantedOrThrough =
      wanted && through ? Uint8Array.from(wanted, (w, i) => w | (through[i] as number)) : undefined;
    seen[start] = stamp;
    const visited: number[] = [];
    let frontier = [start];
    let truncated = false;
    for (let d = 1; d <= q.depth && frontier.length > 0 && !truncated; d++) {
      const typeOk = d === q.depth ? wanted : wantedOrThrough;
      let reached: number[] = [];
      // One candidate edge `e` reaching `f`; the same test for the snapshot's slots and the added ones.
      const offer = (e: number, f: number): void => {
        if (edgeOk && edgeOk[edgeType[e] as number] === 0) return;
        if (seen[f] === stamp) return;
        if (typeOk && typeOk[nodeType[f] as number] === 0) return;
        const c = edgeConfidence[e] as number;
        if (levelStamp[f] !== stamp) {
          levelStamp[f] = stamp;
          bestEdge[f] = e;
          bestConfidence[f] = c;
          reached.push(f);
        } else if (c > (bestConfidence[f] as number) || (c === bestConfidence[f] && before(e, f))) {
          bestEdge[f] = e;
          bestConfidence[f] = c;
        }
      };
      for (const u of frontier) {
        if (u < baseNodes) {
          const end = offsets[u + 1] as number;
          for (let j = offsets[u] as number; j < end; j++)
            if (follow[slotOut[j] as number] === 1) offer(slotEdge[j] as number, slotFar[j] as number);
        }
        const extra = added ? g.addedSlots(u) : undefined;
        if (extra)
          for (let k = 0; k < extra.length; k += 3)
            if (follow[extra[k + 2] as number] === 1) offer(extra[k] as number, extra[k + 1] as number);
      }
      if (visited.length + reached.length > q.maxVisited) {
        truncated = true;
        reached = reached
          .sort((a, b) => (bestConfidence[b] as number) - (bestConfidence[a] as number) || compareNodes(a, b))
          .slice(0, q.maxVisited - visited.length);
      }
      const next: number[] = [];
      for (const f of reached) {
        seen[f] = stamp;
        depthOf[f] = d;
        visited.push(f);
        if (!through || through[nodeType[f] as number] === 1) next.push(f);
      }
      frontier = next;
    }
    const candidates = wanted ? visited.filter((f) => wanted[nodeType[f] as number] === 1) : visited;
    candidates.sort(
      (a, b) =>
        (depthOf[a] as number) - (depthOf[b] as number) ||
        (bestConfidence[b] as number) - (bestConfidence[a] as number) ||
        compareNodes(a, b),
    );
    if (candidates.length > q.limit) truncated = true;
    const chosen = candidates.slice(0, q.limit).map((f) => ({
      node: f,
      depth: depthOf[f] as number,
      edge: bestEdge[f] as number,
    }));
    return { chosen, reached: visited.length, truncated };
  }
}

function byNumber(a: number, b: number): number {
  return a - b;
}
