import type { GraphStore } from './contract.js';
import type { NodeResolver } from './resolver.js';
import { type EdgeInput, edgeAllowed, type NodeInput } from './schema.js';

/** Formats the importers read (`catalogue`: the shipped catalogue, loaded by `ensureCatalogueLoaded`). */
export type ImportFormat = 'stix' | 'misp-galaxy' | 'kev' | 'cve-attack-mappings' | 'catalogue';

/** Progress of an import, reported as it goes (the CLI prints it on stderr). */
export interface ImportProgress {
  format: ImportFormat;
  /** `read` while records are converted, `write` while batches are applied. */
  phase: 'read' | 'write';
  done: number;
  total: number;
}

/** Options every importer takes. */
export interface ImportOptions {
  /** Called as records are read and batches written. */
  onProgress?: (p: ImportProgress) => void;
  /**
   * Source label stored on every node and edge. Defaults: `attack` for the ATT&CK bundle,
   * `stix` for other bundles, `misp-galaxy`, `kev`, `mappings-explorer`.
   */
  source?: string;
}

/** A record that was refused, and why. */
export interface SkippedRecord {
  /** Where it was: an id, a value or an index. */
  ref: string;
  reason: string;
}

/** What an import did. Bad records are listed (the first 100) and skipped, never fatal. */
export interface ImportReport {
  format: ImportFormat;
  source: string;
  /** Records read. */
  records: number;
  /** Records turned into nodes or edges. */
  imported: number;
  /** Records outside the schema or withdrawn by their publisher (revoked, deprecated): not errors. */
  ignored: number;
  /** Bad records (count), with the first 100 in `skipped`. */
  skippedCount: number;
  skipped: SkippedRecord[];
  /** Links to things neither in the input nor in the graph. */
  unresolved: number;
  nodesCreated: number;
  nodesUpdated: number;
  edgesWritten: number;
  aliasesAdded: number;
}

/** A fresh, empty report. */
export function emptyReport(format: ImportFormat, source: string): ImportReport {
  return {
    format,
    source,
    records: 0,
    imported: 0,
    ignored: 0,
    skippedCount: 0,
    skipped: [],
    unresolved: 0,
    nodesCreated: 0,
    nodesUpdated: 0,
    edgesWritten: 0,
    aliasesAdded: 0,
  };
}

/** Records a bad record in a report (keeps the first 100). */
export function skip(report: ImportReport, ref: string, reason: string): void {
  report.skippedCount++;
  if (report.skipped.length < 100) report.skipped.push({ ref, reason });
}

const NODE_CHUNK = 2000;
const EDGE_CHUNK = 5000;

/**
 * Collects the nodes and edges of one import, checking each edge against the
 * schema before it is queued (so `apply()` never refuses a batch for one bad
 * record), then writes them in chunks: nodes first, then edges. Each chunk is
 * one transaction; the import as a whole is idempotent, so an interrupted one
 * is simply run again.
 */
export class BatchBuilder {
  readonly #nodes: NodeInput[] = [];
  readonly #edges = new Map<string, EdgeInput>();

  constructor(
    readonly resolver: NodeResolver,
    readonly report: ImportReport,
  ) {}

  /** Queues a node and makes it resolvable for the rest of the import. */
  addNode(node: NodeInput): void {
    this.#nodes.push(node);
    this.resolver.register(node);
  }

  /**
   * Queues an edge when both ends are known (otherwise counts it as unresolved). When the schema
   * does not allow its type between these node types it is kept as RELATED_TO. Same
   * (src, type, dst, source) twice: the higher confidence wins and props merge.
   */
  addEdge(edge: EdgeInput, ref: string): boolean {
    const from = this.resolver.typeOf(edge.src);
    const to = this.resolver.typeOf(edge.dst);
    if (!from || !to) {
      this.report.unresolved++;
      return false;
    }
    if (edge.src === edge.dst) return false;
    if (!edgeAllowed(edge.type, from, to)) {
      // The source's link type does not fit these node types (e.g. an actor that "uses" another
      // actor): keep the link as the generic RELATED_TO, saying what the source called it.
      return this.addEdge(
        {
          ...edge,
          type: 'RELATED_TO',
          props: { ...edge.props, relationship: String(edge.props?.relationship ?? edge.type.toLowerCase()) },
        },
        ref,
      );
    }
    const key = `${edge.src}\u0000${edge.type}\u0000${edge.dst}\u0000${edge.source}`;
    const before = this.#edges.get(key);
    if (before) {
      this.#edges.set(key, {
        ...before,
        confidence: Math.max(before.confidence, edge.confidence),
        props: { ...before.props, ...edge.props },
      });
    } else {
      this.#edges.set(key, edge);
    }
    return true;
  }

  /** Writes everything queued and adds the counts to the report. */
  async flush(graph: GraphStore, onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
    const edges = [...this.#edges.values()];
    const total = this.#nodes.length + edges.length;
    let done = 0;
    const add = (r: Awaited<ReturnType<GraphStore['apply']>>) => {
      this.report.nodesCreated += r.nodesCreated;
      this.report.nodesUpdated += r.nodesUpdated;
      this.report.edgesWritten += r.edgesWritten;
      this.report.aliasesAdded += r.aliasesAdded;
    };
    for (let i = 0; i < this.#nodes.length; i += NODE_CHUNK) {
      const part = this.#nodes.slice(i, i + NODE_CHUNK);
      add(await graph.apply({ nodes: part, edges: [] }));
      done += part.length;
      onProgress?.({ format: this.report.format, phase: 'write', done, total });
    }
    for (let i = 0; i < edges.length; i += EDGE_CHUNK) {
      const part = edges.slice(i, i + EDGE_CHUNK);
      add(await graph.apply({ nodes: [], edges: part }));
      done += part.length;
      onProgress?.({ format: this.report.format, phase: 'write', done, total });
    }
    return this.report;
  }
}

/** Calls `onProgress` for reading at most about 100 times over `total` records. */
export function readProgress(
  format: ImportFormat,
  total: number,
  onProgress?: (p: ImportProgress) => void,
): (done: number) => void {
  const step = Math.max(1, Math.floor(total / 100));
  return (done) => {
    if (onProgress && (done % step === 0 || done === total))
      onProgress({ format, phase: 'read', done, total });
  };
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty string, or undefined. */
export function str(value: unknown, max = 1024): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  return v.length > 0 && v.length <= max ? v : undefined;
}

/** The trimmed non-empty strings of an array (anything else is dropped). */
export function strings(value: unknown, max = 512): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => str(v, max) ?? []);
}
