import { type AdjacencySnapshot, directionMask } from './adjacency-snapshot.js';
import type { NeighbourQuery } from './traversal.js';

/** What {@link snapshotNeighbours} found: node and edge numbers of the snapshot. */
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
 * so one set per snapshot is enough.
 */
export class TraversalScratch {
  readonly #seen: Int32Array;
  readonly #levelStamp: Int32Array;
  readonly #bestEdge: Int32Array;
  readonly #bestConfidence: Float64Array;
  readonly #depth: Uint8Array;
  #stamp = 0;

  constructor(nodes: number) {
    this.#seen = new Int32Array(nodes);
    this.#levelStamp = new Int32Array(nodes);
    this.#bestEdge = new Int32Array(nodes);
    this.#bestConfidence = new Float64Array(nodes);
    this.#depth = new Uint8Array(nodes);
  }

  /**
   * `neighbours` on the snapshot, with the semantics of `traverseNeighbours`:
   * breadth-first, per node the strongest edge of its level then the first by
   * key, the same type filters, `maxVisited` cut and result order
   * (depth, confidence descending, id).
   */
  neighbours(g: AdjacencySnapshot, start: number, q: NeighbourQuery): SnapshotNeighbours {
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
    const { offsets, slotEdge, slotFar, slotOut, edgeConfidence, edgeType, nodeType } = g;
    const follow = directionMask(q.direction);
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
      for (const u of frontier) {
        const end = offsets[u + 1] as number;
        for (let j = offsets[u] as number; j < end; j++) {
          if (follow[slotOut[j] as number] === 0) continue;
          const e = slotEdge[j] as number;
          if (edgeOk && edgeOk[edgeType[e] as number] === 0) continue;
          const f = slotFar[j] as number;
          if (seen[f] === stamp) continue;
          if (typeOk && typeOk[nodeType[f] as number] === 0) continue;
          const c = edgeConfidence[e] as number;
          if (levelStamp[f] !== stamp) {
            levelStamp[f] = stamp;
            bestEdge[f] = e;
            bestConfidence[f] = c;
            reached.push(f);
          } else if (
            c > (bestConfidence[f] as number) ||
            (c === bestConfidence[f] && e < (bestEdge[f] as number))
          ) {
            bestEdge[f] = e;
            bestConfidence[f] = c;
          }
        }
      }
      if (visited.length + reached.length > q.maxVisited) {
        truncated = true;
        reached = reached
          .sort((a, b) => (bestConfidence[b] as number) - (bestConfidence[a] as number) || a - b)
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
        a - b,
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
