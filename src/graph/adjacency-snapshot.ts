import type { Direction } from './contract.js';
import type { EdgeRef, EdgeType, NodeType } from './schema.js';

/**
 * An immutable in-memory copy of the graph's structure (node ids and types, and
 * every edge without props), laid out for traversals: nodes are numbered by their
 * rank in id order and edges by their rank in key order (src, type, dst, source),
 * so "first by id" and "first by key" are integer comparisons; each node's
 * incident edges sit in one slice of flat typed arrays (compressed sparse rows),
 * outgoing and incoming together. A 2-hop next to a hub is then a loop over a
 * few thousand array slots instead of as many database rows.
 *
 * Built by {@link AdjacencyBuilder}; read by `AdjacencyCache`.
 */
export class AdjacencySnapshot {
  /** Node ids in JavaScript string order; the index is the node's number. */
  readonly ids: readonly string[];
  readonly #index: ReadonlyMap<string, number>;
  /** Per node: index into {@link AdjacencySnapshot.nodeTypes}. */
  readonly nodeType: Uint8Array;
  /** The distinct node types, sorted. */
  readonly nodeTypes: readonly NodeType[];
  /** The distinct edge types, sorted. */
  readonly edgeTypes: readonly EdgeType[];
  /** The distinct edge sources, sorted. */
  readonly sources: readonly string[];
  /** Per edge (numbered in key order): its ends (node numbers), type, source, confidence. */
  readonly edgeSrc: Int32Array;
  readonly edgeDst: Int32Array;
  readonly edgeType: Uint8Array;
  readonly edgeSource: Int32Array;
  readonly edgeConfidence: Float64Array;
  /** Node `u`'s incident edges are the slots `offsets[u]` to `offsets[u + 1] - 1`. */
  readonly offsets: Int32Array;
  /** Per slot: the edge, its far end, and 1 when the edge leaves the node (0: arrives). */
  readonly slotEdge: Int32Array;
  readonly slotFar: Int32Array;
  readonly slotOut: Uint8Array;

  constructor(parts: {
    ids: string[];
    index: Map<string, number>;
    nodeType: Uint8Array;
    nodeTypes: NodeType[];
    edgeTypes: EdgeType[];
    sources: string[];
    edgeSrc: Int32Array;
    edgeDst: Int32Array;
    edgeType: Uint8Array;
    edgeSource: Int32Array;
    edgeConfidence: Float64Array;
  }) {
    this.ids = parts.ids;
    this.#index = parts.index;
    this.nodeType = parts.nodeType;
    this.nodeTypes = parts.nodeTypes;
    this.edgeTypes = parts.edgeTypes;
    this.sources = parts.sources;
    this.edgeSrc = parts.edgeSrc;
    this.edgeDst = parts.edgeDst;
    this.edgeType = parts.edgeType;
    this.edgeSource = parts.edgeSource;
    this.edgeConfidence = parts.edgeConfidence;
    const n = parts.ids.length;
    const m = parts.edgeSrc.length;
    const offsets = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      const s = (parts.edgeSrc[e] as number) + 1;
      const d = (parts.edgeDst[e] as number) + 1;
      offsets[s] = (offsets[s] as number) + 1;
      offsets[d] = (offsets[d] as number) + 1;
    }
    for (let u = 0; u < n; u++) offsets[u + 1] = (offsets[u + 1] as number) + (offsets[u] as number);
    const fill = offsets.slice(0, n);
    this.slotEdge = new Int32Array(2 * m);
    this.slotFar = new Int32Array(2 * m);
    this.slotOut = new Uint8Array(2 * m);
    for (let e = 0; e < m; e++) {
      const s = parts.edgeSrc[e] as number;
      const d = parts.edgeDst[e] as number;
      const out = fill[s] as number;
      fill[s] = out + 1;
      this.slotEdge[out] = e;
      this.slotFar[out] = d;
      this.slotOut[out] = 1;
      const inc = fill[d] as number;
      fill[d] = inc + 1;
      this.slotEdge[inc] = e;
      this.slotFar[inc] = s;
    }
    this.offsets = offsets;
  }

  /** Number of nodes. */
  get nodeCount(): number {
    return this.ids.length;
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.edgeSrc.length;
  }

  /** The node's number, or undefined when the graph has no such node. */
  indexOf(id: string): number | undefined {
    return this.#index.get(id);
  }

  /** The node's type. */
  typeOf(u: number): NodeType {
    return this.nodeTypes[this.nodeType[u] as number] as NodeType;
  }

  /** Edge `e` as the traversals report it. */
  edgeRef(e: number): EdgeRef {
    const src = this.edgeSrc[e] as number;
    const dst = this.edgeDst[e] as number;
    return {
      src: this.ids[src] as string,
      srcType: this.typeOf(src),
      type: this.edgeTypes[this.edgeType[e] as number] as EdgeType,
      dst: this.ids[dst] as string,
      dstType: this.typeOf(dst),
      source: this.sources[this.edgeSource[e] as number] as string,
      confidence: this.edgeConfidence[e] as number,
    };
  }

  /** A lookup table over the node type codes (1: in `types`), or undefined when `types` is. */
  nodeTypeMask(types: readonly NodeType[] | undefined): Uint8Array | undefined {
    return types ? codeMask(this.nodeTypes, types) : undefined;
  }

  /** A lookup table over the edge type codes (1: in `types`), or undefined when `types` is. */
  edgeTypeMask(types: readonly EdgeType[] | undefined): Uint8Array | undefined {
    return types ? codeMask(this.edgeTypes, types) : undefined;
  }

  /** Bytes held by the typed arrays (the id strings and their map come on top). */
  get arrayBytes(): number {
    return [
      this.nodeType,
      this.edgeSrc,
      this.edgeDst,
      this.edgeType,
      this.edgeSource,
      this.edgeConfidence,
      this.offsets,
      this.slotEdge,
      this.slotFar,
      this.slotOut,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }
}

/** A lookup table over the codes of `table` (1 where the value is in `wanted`). */
export function codeMask<T extends string>(table: readonly T[], wanted: readonly T[]): Uint8Array {
  const set = new Set(wanted);
  return Uint8Array.from(table, (t) => (set.has(t) ? 1 : 0));
}

/** 1 where a slot's direction is followed: index 0 for arriving edges, 1 for leaving ones. */
export function directionMask(direction: Direction): Uint8Array {
  return Uint8Array.of(direction === 'out' ? 0 : 1, direction === 'in' ? 0 : 1);
}

/**
 * Collects nodes and edges (as a store reads them) and builds an
 * {@link AdjacencySnapshot}. Edges whose ends are not among the nodes are left
 * out (the stores' foreign keys make that impossible; the check keeps a torn
 * read from producing a broken snapshot). Edges read in key order (the stores
 * read them so) skip the sort.
 */
export class AdjacencyBuilder {
  readonly #ids: string[] = [];
  readonly #types: NodeType[] = [];
  readonly #index = new Map<string, number>();
  readonly #src: number[] = [];
  readonly #dst: number[] = [];
  readonly #edgeType: EdgeType[] = [];
  readonly #source: string[] = [];
  readonly #confidence: number[] = [];
  /** Node rows read with the structure, as the JSON text of a `GraphNode`. */
  readonly rows: [id: string, json: string][] = [];
  /** Characters of {@link AdjacencyBuilder.rows}. */
  rowChars = 0;
  readonly #maxRowChars: number;

  /** @param maxRowChars Node rows are taken while their JSON totals at most this many characters. */
  constructor(maxRowChars = 0) {
    this.#maxRowChars = maxRowChars;
  }

  /** Adds a node. */
  node(id: string, type: NodeType): void {
    if (this.#index.has(id)) return;
    this.#index.set(id, this.#ids.length);
    this.#ids.push(id);
    this.#types.push(type);
  }

  /**
   * Adds a node row (the JSON text of a `GraphNode`); false, adding nothing, once the rows
   * would pass the character budget (the store then stops reading them).
   */
  row(id: string, json: string): boolean {
    if (this.rowChars + json.length > this.#maxRowChars) return false;
    this.rows.push([id, json]);
    this.rowChars += json.length;
    return true;
  }

  /** Adds an edge; call after its end nodes were added. */
  edge(src: string, type: EdgeType, dst: string, source: string, confidence: number): void {
    const s = this.#index.get(src);
    const d = this.#index.get(dst);
    if (s === undefined || d === undefined) return;
    this.#src.push(s);
    this.#dst.push(d);
    this.#edgeType.push(type);
    this.#source.push(source);
    this.#confidence.push(confidence);
  }

  /** The snapshot of everything added. */
  build(): AdjacencySnapshot {
    const n = this.#ids.length;
    // The default sort compares UTF-16 code units, as `<` does.
    const ids = [...this.#ids].sort();
    const index = new Map<string, number>();
    ids.forEach((id, r) => {
      index.set(id, r);
    });
    const rank = Int32Array.from(this.#ids, (id) => index.get(id) as number);
    const nodeTypes = [...new Set(this.#types)].sort();
    const nodeTypeCode = new Map(nodeTypes.map((t, i) => [t, i]));
    const nodeType = new Uint8Array(n);
    for (let old = 0; old < n; old++)
      nodeType[rank[old] as number] = nodeTypeCode.get(this.#types[old] as NodeType) as number;
    const edgeTypes = [...new Set(this.#edgeType)].sort();
    const edgeTypeCode = new Map(edgeTypes.map((t, i) => [t, i]));
    const sources = [...new Set(this.#source)].sort();
    const sourceCode = new Map(sources.map((s, i) => [s, i]));
    const m = this.#src.length;
    const src = Int32Array.from(this.#src, (s) => rank[s] as number);
    const dst = Int32Array.from(this.#dst, (d) => rank[d] as number);
    const type = Uint8Array.from(this.#edgeType, (t) => edgeTypeCode.get(t) as number);
    const source = Int32Array.from(this.#source, (s) => sourceCode.get(s) as number);
    const confidence = Float64Array.from(this.#confidence);
    // Key order: each part's table is sorted, so comparing codes compares the strings; and the
    // tuple order is the order of the keys joined by U+0000, which no id contains.
    const compare = (a: number, b: number) =>
      (src[a] as number) - (src[b] as number) ||
      (type[a] as number) - (type[b] as number) ||
      (dst[a] as number) - (dst[b] as number) ||
      (source[a] as number) - (source[b] as number);
    let sorted = true;
    for (let e = 1; e < m && sorted; e++) sorted = compare(e - 1, e) < 0;
    const order = sorted ? undefined : Array.from({ length: m }, (_, i) => i).sort(compare);
    const pick = <A extends Int32Array | Uint8Array | Float64Array>(from: A, to: A): A => {
      if (!order) return from;
      order.forEach((old, i) => {
        to[i] = from[old] as number;
      });
      return to;
    };
    return new AdjacencySnapshot({
      ids,
      index,
      nodeType,
      nodeTypes,
      edgeTypes,
      sources,
      edgeSrc: pick(src, new Int32Array(order ? m : 0)),
      edgeDst: pick(dst, new Int32Array(order ? m : 0)),
      edgeType: pick(type, new Uint8Array(order ? m : 0)),
      edgeSource: pick(source, new Int32Array(order ? m : 0)),
      edgeConfidence: pick(confidence, new Float64Array(order ? m : 0)),
    });
  }
}
