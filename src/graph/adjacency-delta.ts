import { type AdjacencySnapshot, codeMask } from './adjacency-snapshot.js';
import type { EdgeRef, EdgeType, NodeType } from './schema.js';

/** A node a write created, as {@link AdjacencyDelta.add} takes it. */
export interface AddedNode {
  id: string;
  type: NodeType;
}

/** An edge a write created (the structure only: props are not held). */
export type AddedEdge = EdgeRef;

/**
 * Nodes and edges added to an {@link AdjacencySnapshot} since it was loaded,
 * held beside it rather than merged into its arrays, and read with it as one
 * graph by `TraversalScratch`. Added nodes are numbered after the snapshot's
 * (`base.nodeCount`, `+ 1`, ...) and added edges after its edges, so numbers no
 * longer follow id and key order across the two; {@link AdjacencyDelta.compareNodes}
 * and {@link AdjacencyDelta.edgeBefore} compare the strings where an added one is
 * involved (integer comparison otherwise, as on the snapshot alone). Node types,
 * edge types and confidences are kept in combined arrays (the snapshot's copied once),
 * so the traversal reads one array whatever the node or edge.
 *
 * Only additions: a write that changes or removes what the snapshot holds is
 * refused by {@link AdjacencyDelta.add}, and the cache then reloads instead.
 */
export class AdjacencyDelta {
  /** The snapshot this delta extends. */
  readonly base: AdjacencySnapshot;
  /** The node type, edge type and source tables: the snapshot's, then any new value, appended. */
  readonly nodeTypes: NodeType[];
  readonly edgeTypes: EdgeType[];
  readonly sources: string[];
  #nodeTypeCode: Map<NodeType, number>;
  #edgeTypeCode: Map<EdgeType, number>;
  #sourceCode: Map<string, number>;
  /** Added node ids (node `base.nodeCount + i` is `#ids[i]`) and their numbers. */
  readonly #ids: string[] = [];
  readonly #index = new Map<string, number>();
  /** Per node (snapshot's and added), the type code; capacity grows by doubling. */
  #nodeType: Uint8Array;
  /** Per edge (snapshot's and added), type code and confidence; copied from the snapshot on the first added edge. */
  #edgeType: Uint8Array;
  #edgeConfidence: Float64Array;
  /** Added edges: ends (node numbers) and source codes, by `e - base.edgeCount`. */
  readonly #src: number[] = [];
  readonly #dst: number[] = [];
  readonly #source: number[] = [];
  /** Keys of the added edges, so one is never added twice. */
  readonly #keys = new Set<string>();
  /** Per node, its added slots as triples: edge, far end, 1 when the edge leaves the node (0: arrives). */
  readonly #slots = new Map<number, number[]>();

  constructor(base: AdjacencySnapshot) {
    this.base = base;
    this.nodeTypes = [...base.nodeTypes];
    this.edgeTypes = [...base.edgeTypes];
    this.sources = [...base.sources];
    this.#nodeTypeCode = new Map(this.nodeTypes.map((t, i) => [t, i]));
    this.#edgeTypeCode = new Map(this.edgeTypes.map((t, i) => [t, i]));
    this.#sourceCode = new Map(this.sources.map((s, i) => [s, i]));
    this.#nodeType = base.nodeType;
    this.#edgeType = base.edgeType;
    this.#edgeConfidence = base.edgeConfidence;
  }

  /** Nodes and edges of the snapshot and the delta together. */
  get nodeCount(): number {
    return this.base.nodeCount + this.#ids.length;
  }
  get edgeCount(): number {
    return this.base.edgeCount + this.#src.length;
  }
  /** Nodes and edges added since the snapshot. */
  get addedNodes(): number {
    return this.#ids.length;
  }
  get addedEdges(): number {
    return this.#src.length;
  }

  /** Per node number, its type code (index into {@link AdjacencyDelta.nodeTypes}); read up to `nodeCount`. */
  get nodeType(): Uint8Array {
    return this.#nodeType;
  }
  /** Per edge number, its type code and confidence; read up to `edgeCount`. */
  get edgeType(): Uint8Array {
    return this.#edgeType;
  }
  get edgeConfidence(): Float64Array {
    return this.#edgeConfidence;
  }

  /** Bytes held by the arrays the delta added (the combined copies and the added edges). */
  get arrayBytes(): number {
    const copied =
      (this.#nodeType === this.base.nodeType ? 0 : this.#nodeType.byteLength) +
      (this.#edgeType === this.base.edgeType
        ? 0
        : this.#edgeType.byteLength + this.#edgeConfidence.byteLength);
    // About 3 numbers per added edge and 6 per slot pair, 8 bytes each.
    return copied + this.#src.length * 72;
  }

  /** The node's number, or undefined when neither the snapshot nor the delta has it. */
  indexOf(id: string): number | undefined {
    return this.base.indexOf(id) ?? this.#index.get(id);
  }

  /** The id of node `u`. */
  idOf(u: number): string {
    const n = this.base.nodeCount;
    return (u < n ? this.base.ids[u] : this.#ids[u - n]) as string;
  }

  /** The type of node `u`. */
  typeOf(u: number): NodeType {
    return this.nodeTypes[this.#nodeType[u] as number] as NodeType;
  }

  /** The added slots of node `u` (edge, far end, out; flattened), or undefined when it has none. */
  addedSlots(u: number): readonly number[] | undefined {
    return this.#slots.get(u);
  }

  /** Node order (by id), as `Array.prototype.sort` takes it. */
  compareNodes(a: number, b: number): number {
    const n = this.base.nodeCount;
    if (a < n && b < n) return a - b;
    const x = this.idOf(a);
    const y = this.idOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** True when edge `a` comes before edge `b` by key (src, type, dst, source). */
  edgeBefore(a: number, b: number): boolean {
    const m = this.base.edgeCount;
    if (a < m && b < m) return a < b;
    const x = this.#keyParts(a);
    const y = this.#keyParts(b);
    for (let i = 0; i < 4; i++) {
      const p = x[i] as string;
      const q = y[i] as string;
      if (p !== q) return p < q;
    }
    return false;
  }

  /** Edge `e` as the traversals report it. */
  edgeRef(e: number): EdgeRef {
    const m = this.base.edgeCount;
    if (e < m) return this.base.edgeRef(e);
    const i = e - m;
    const src = this.#src[i] as number;
    const dst = this.#dst[i] as number;
    return {
      src: this.idOf(src),
      srcType: this.typeOf(src),
      type: this.edgeTypes[this.#edgeType[e] as number] as EdgeType,
      dst: this.idOf(dst),
      dstType: this.typeOf(dst),
      source: this.sources[this.#source[i] as number] as string,
      confidence: this.#edgeConfidence[e] as number,
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

  /**
   * Adds the nodes and edges one committed write created. All or nothing: false,
   * changing nothing, when the result could differ from the database's graph (a
   * "new" node or edge already held, an edge end or type that does not match),
   * or when more than 255 distinct node or edge types would be needed.
   */
  add(nodes: readonly AddedNode[], edges: readonly AddedEdge[]): boolean {
    const newNodes = new Map<string, NodeType>();
    for (const node of nodes) {
      if (this.indexOf(node.id) !== undefined || newNodes.has(node.id)) return false;
      newNodes.set(node.id, node.type);
    }
    const typeOfId = (id: string): NodeType | undefined => {
      const u = this.indexOf(id);
      return u === undefined ? newNodes.get(id) : this.typeOf(u);
    };
    const keys = new Set<string>();
    for (const e of edges) {
      if (typeOfId(e.src) !== e.srcType || typeOfId(e.dst) !== e.dstType) return false;
      const key = `${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`;
      if (keys.has(key) || this.#keys.has(key) || this.#inBase(e)) return false;
      keys.add(key);
    }
    const types = new Set([...this.nodeTypes, ...newNodes.values()]);
    const edgeTypes = new Set([...this.edgeTypes, ...edges.map((e) => e.type)]);
    if (types.size > 256 || edgeTypes.size > 256) return false;
    // Checked: now change.
    for (const [id, type] of newNodes) {
      const u = this.nodeCount;
      this.#nodeType = grown(this.#nodeType, this.base.nodeType, u + 1, Uint8Array);
      this.#nodeType[u] = code(this.nodeTypes, this.#nodeTypeCode, type);
      this.#ids.push(id);
      this.#index.set(id, u);
    }
    for (const e of edges) {
      const id = this.edgeCount;
      this.#edgeType = grown(this.#edgeType, this.base.edgeType, id + 1, Uint8Array);
      this.#edgeConfidence = grown(this.#edgeConfidence, this.base.edgeConfidence, id + 1, Float64Array);
      this.#edgeType[id] = code(this.edgeTypes, this.#edgeTypeCode, e.type);
      this.#edgeConfidence[id] = e.confidence;
      const s = this.indexOf(e.src) as number;
      const d = this.indexOf(e.dst) as number;
      this.#src.push(s);
      this.#dst.push(d);
      this.#source.push(code(this.sources, this.#sourceCode, e.source));
      this.#keys.add(`${e.src}\u0000${e.type}\u0000${e.dst}\u0000${e.source}`);
      this.#slot(s, id, d, 1);
      this.#slot(d, id, s, 0);
    }
    return true;
  }

  #slot(u: number, edge: number, far: number, out: number): void {
    const list = this.#slots.get(u);
    if (list) list.push(edge, far, out);
    else this.#slots.set(u, [edge, far, out]);
  }

  /** True when the snapshot holds an edge with this key. */
  #inBase(e: AddedEdge): boolean {
    const b = this.base;
    const s = b.indexOf(e.src);
    const d = b.indexOf(e.dst);
    const type = b.edgeTypes.indexOf(e.type);
    const source = b.sources.indexOf(e.source);
    if (s === undefined || d === undefined || type < 0 || source < 0) return false;
    const end = b.offsets[s + 1] as number;
    for (let j = b.offsets[s] as number; j < end; j++) {
      const x = b.slotEdge[j] as number;
      if (b.slotOut[j] === 1 && b.slotFar[j] === d && b.edgeType[x] === type && b.edgeSource[x] === source)
        return true;
    }
    return false;
  }

  /** The key of edge `e` as its four strings (src id, type, dst id, source). */
  #keyParts(e: number): [string, string, string, string] {
    const r = this.edgeRef(e);
    return [r.src, r.type, r.dst, r.source];
  }
}

/** The code of `value` in `table`, appending it when new. */
function code<T>(table: T[], codes: Map<T, number>, value: T): number {
  let c = codes.get(value);
  if (c === undefined) {
    c = table.length;
    table.push(value);
    codes.set(value, c);
  }
  return c;
}

/**
 * `array` if it holds at least `length` slots and is not the snapshot's own (`shared`, which must
 * stay as it is); otherwise a copy with room to spare (doubling, so appends cost amortised O(1)).
 */
function grown<A extends Uint8Array | Float64Array>(
  array: A,
  shared: A,
  length: number,
  Make: new (n: number) => A,
): A {
  if (array !== shared && array.length >= length) return array;
  const out = new Make(Math.max(16, length * 2));
  out.set(array);
  return out;
}
