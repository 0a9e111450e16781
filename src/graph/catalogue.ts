import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Compile } from 'typebox/compile';
import { defaultAssetsDir } from '../assets/index.js';
import { AppError, validate } from '../core/index.js';
import {
  CATALOGUE_FORMAT,
  type Catalogue,
  type CatalogueMeta,
  CatalogueMetaV1,
  CatalogueV1,
} from './catalogue-format.js';
import type { GraphStore } from './contract.js';
import type { ImportProgress } from './import-common.js';
import { type AliasEntry, EDGE_TYPES, type EdgeInput, NODE_TYPES, type NodeInput } from './schema.js';

/** File name of the shipped catalogue in `assets/`. */
export const CATALOGUE_FILE = 'graph-catalogue.json.gz';
/** File name of its sidecar (id and counts) in `assets/`. */
export const CATALOGUE_META_FILE = 'graph-catalogue.meta.json';
/** Graph meta key holding the id of the catalogue last loaded. */
export const CATALOGUE_META_KEY = 'catalogue.id';

/** Paths of the shipped catalogue and its sidecar. */
export function defaultCataloguePaths(): { catalogue: string; meta: string } {
  const dir = defaultAssetsDir();
  return { catalogue: join(dir, CATALOGUE_FILE), meta: join(dir, CATALOGUE_META_FILE) };
}

/** The id of a catalogue: sha256 of its JSON without the `id` field. */
export function catalogueId(content: Omit<Catalogue, 'id'>): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Dumps a graph into the compact catalogue form (nodes by id, their aliases by
 * kind, edges in key order), so the same graph always gives the same file.
 * Used by `scripts/build-graph-catalogue.ts` after importing the public data.
 */
export async function dumpCatalogue(
  graph: GraphStore,
  builtFrom: Catalogue['builtFrom'],
): Promise<Catalogue> {
  const aliases = new Map<string, AliasEntry[]>();
  for (const a of await graph.aliasEntries()) aliases.set(a.nodeId, [...(aliases.get(a.nodeId) ?? []), a]);
  const sources: string[] = [];
  const sourceIndex = (s: string) => {
    let i = sources.indexOf(s);
    if (i < 0) i = sources.push(s) - 1;
    return i;
  };
  const nodeIndex = new Map<string, number>();
  const nodes: Catalogue['nodes'] = [];
  for (
    let page = await graph.scanNodes(undefined, 5000);
    page.length > 0;
    page = await graph.scanNodes(page.at(-1)?.id, 5000)
  ) {
    for (const n of page) {
      const own = (aliases.get(n.id) ?? []).sort((a, b) =>
        a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
      );
      const values = (kind: AliasEntry['kind']) => [
        ...new Set(own.filter((a) => a.kind === kind).map((a) => a.value)),
      ];
      nodeIndex.set(n.id, nodes.length);
      nodes.push([
        n.id,
        NODE_TYPES.indexOf(n.type),
        n.name,
        n.props,
        n.sources.map(sourceIndex),
        values('alias'),
        values('synonym'),
        values('name').filter((v) => v !== n.name),
        values('xid'),
      ]);
    }
  }
  const edges: Catalogue['edges'] = [];
  for (
    let page = await graph.scanEdges(undefined, 10000);
    page.length > 0;
    page = await graph.scanEdges(page.at(-1), 10000)
  ) {
    for (const e of page) {
      edges.push([
        nodeIndex.get(e.src) as number,
        EDGE_TYPES.indexOf(e.type),
        nodeIndex.get(e.dst) as number,
        sourceIndex(e.source),
        e.confidence,
        e.props,
      ]);
    }
  }
  const content: Omit<Catalogue, 'id'> = {
    format: CATALOGUE_FORMAT,
    formatVersion: 1,
    builtFrom,
    nodeTypes: [...NODE_TYPES],
    edgeTypes: [...EDGE_TYPES],
    sources,
    nodes,
    edges,
  };
  return { ...content, id: catalogueId(content) };
}

/** The sidecar for a catalogue. */
export function catalogueMeta(c: Catalogue): CatalogueMeta {
  return {
    format: `${CATALOGUE_FORMAT}-meta`,
    formatVersion: 1,
    id: c.id,
    nodes: c.nodes.length,
    edges: c.edges.length,
    builtFrom: c.builtFrom,
  };
}

function missing(path: string, cause: unknown): AppError {
  return new AppError(
    'CS_ERR_ASSET_MISSING',
    `The graph catalogue ${path} is missing; rebuild it with npm run build:graph-catalogue`,
    { cause },
  );
}

let compiledCatalogue: { Check(value: unknown): boolean } | undefined;

/**
 * Reads and validates a catalogue file (gzip or plain JSON), checking its id.
 *
 * @throws AppError CS_ERR_ASSET_MISSING when absent, CS_ERR_ARTEFACT_INVALID when corrupt.
 */
export async function readCatalogue(path: string): Promise<Catalogue> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (cause) {
    throw missing(path, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `The graph catalogue ${path} cannot be read`, { cause });
  }
  // Compiled once: the interpreted check takes seconds on a catalogue of this size, the compiled one ~0.1 s.
  compiledCatalogue ??= Compile(CatalogueV1);
  // On failure, validate() re-checks to name the offending fields.
  const c = compiledCatalogue.Check(parsed)
    ? (parsed as Catalogue)
    : validate(CatalogueV1, parsed, `Graph catalogue ${path}`, 'CS_ERR_ARTEFACT_INVALID');
  const { id, ...content } = c;
  if (catalogueId(content) !== id) {
    throw new AppError(
      'CS_ERR_ARTEFACT_INVALID',
      `The graph catalogue ${path} does not match its id (corrupt or edited)`,
    );
  }
  return c;
}

/** Reads the sidecar of a catalogue. Same errors as {@link readCatalogue}. */
export async function readCatalogueMeta(path: string): Promise<CatalogueMeta> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw missing(path, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `The graph catalogue sidecar ${path} is not JSON`, {
      cause,
    });
  }
  return validate(CatalogueMetaV1, parsed, `Graph catalogue sidecar ${path}`, 'CS_ERR_ARTEFACT_INVALID');
}

/**
 * Writes a catalogue into a graph through `apply()` (nodes, then edges, in
 * chunks of one transaction each): merging with what is there, idempotent.
 *
 * @throws AppError CS_ERR_ARTEFACT_INVALID when an index points outside its table.
 */
export async function loadCatalogue(
  graph: GraphStore,
  c: Catalogue,
  onProgress?: (p: ImportProgress) => void,
): Promise<{ nodesCreated: number; nodesUpdated: number; edgesWritten: number }> {
  const bad = (what: string) =>
    new AppError('CS_ERR_ARTEFACT_INVALID', `Graph catalogue: ${what} out of range`);
  const source = (i: number): string => {
    const s = c.sources[i];
    if (s === undefined) throw bad('source index');
    return s;
  };
  const nodes: NodeInput[] = [];
  for (const [id, t, name, props, srcs, aliases, synonyms, names, xids] of c.nodes) {
    const type = NODE_TYPES[t];
    if (!type || c.nodeTypes[t] !== type) throw bad(`node type of ${id}`);
    const [first, ...rest] = srcs.map(source);
    const base = { id, type, name, source: first ?? 'catalogue' };
    nodes.push({ ...base, primary: true, props, aliases, xids });
    if (synonyms.length > 0) nodes.push({ ...base, aliases: synonyms, aliasKind: 'synonym' });
    for (const other of names) nodes.push({ ...base, name: other });
    for (const s of rest) nodes.push({ ...base, source: s });
  }
  const edges: EdgeInput[] = c.edges.map(([s, t, d, src, confidence, props]) => {
    const type = EDGE_TYPES[t];
    const from = c.nodes[s]?.[0];
    const to = c.nodes[d]?.[0];
    if (!type || c.edgeTypes[t] !== type || from === undefined || to === undefined) throw bad('edge');
    return { src: from, type, dst: to, source: source(src), confidence, props };
  });
  const total = nodes.length + edges.length;
  const result = { nodesCreated: 0, nodesUpdated: 0, edgesWritten: 0 };
  let done = 0;
  for (let i = 0; i < nodes.length; i += 4000) {
    const r = await graph.apply({ nodes: nodes.slice(i, i + 4000), edges: [] });
    result.nodesCreated += r.nodesCreated;
    result.nodesUpdated += r.nodesUpdated;
    done = Math.min(nodes.length, i + 4000);
    onProgress?.({ format: 'catalogue', phase: 'write', done, total });
  }
  for (let i = 0; i < edges.length; i += 10000) {
    const r = await graph.apply({ nodes: [], edges: edges.slice(i, i + 10000) });
    result.edgesWritten += r.edgesWritten;
    done = nodes.length + Math.min(edges.length, i + 10000);
    onProgress?.({ format: 'catalogue', phase: 'write', done, total });
  }
  return result;
}

/** Options of {@link ensureCatalogueLoaded}. */
export interface EnsureCatalogueOptions {
  /** Catalogue file. Default: the shipped `assets/graph-catalogue.json.gz`. */
  cataloguePath?: string;
  /** Its sidecar. Default: the shipped `assets/graph-catalogue.meta.json`. */
  metaPath?: string;
  /**
   * The catalogue already read (`readCatalogue`) by the caller for other uses
   * (the server's recommendation sources): used instead of reading the file
   * again. It must be the file the sidecar describes (its id is checked).
   */
  catalogue?: Catalogue | undefined;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Called after a load, e.g. to mine technique patterns (the integrator passes
   * `(g) => minePatterns(g)`; kept as a hook so this file does not depend on mining).
   */
  afterLoad?: (graph: GraphStore) => Promise<unknown>;
}

/** What {@link ensureCatalogueLoaded} did. */
export interface EnsureCatalogueResult {
  /** False when the graph already held this catalogue (nothing was read beyond the sidecar). */
  loaded: boolean;
  catalogueId: string;
  nodesCreated: number;
  nodesUpdated: number;
  edgesWritten: number;
  /** Wall time, milliseconds. */
  ms: number;
}

/**
 * Makes sure the graph holds the shipped catalogue: on first start (or after an
 * upgrade ships a new one) it loads it, merging with what the graph holds;
 * otherwise it only reads the small sidecar and one meta row, so it is cheap to
 * call at every start-up. Idempotent and safe to run concurrently (loading twice
 * changes nothing the second time).
 *
 * @throws AppError CS_ERR_ASSET_MISSING / CS_ERR_ARTEFACT_INVALID for a missing or corrupt catalogue.
 */
export async function ensureCatalogueLoaded(
  graph: GraphStore,
  options: EnsureCatalogueOptions = {},
): Promise<EnsureCatalogueResult> {
  const started = Date.now();
  const paths = defaultCataloguePaths();
  const meta = await readCatalogueMeta(options.metaPath ?? paths.meta);
  if ((await graph.getMeta(CATALOGUE_META_KEY)) === meta.id) {
    return {
      loaded: false,
      catalogueId: meta.id,
      nodesCreated: 0,
      nodesUpdated: 0,
      edgesWritten: 0,
      ms: Date.now() - started,
    };
  }
  const c = options.catalogue ?? (await readCatalogue(options.cataloguePath ?? paths.catalogue));
  if (c.id !== meta.id) {
    throw new AppError(
      'CS_ERR_ARTEFACT_INVALID',
      'The graph catalogue and its sidecar disagree; rebuild both',
    );
  }
  const r = await loadCatalogue(graph, c, options.onProgress);
  await graph.optimize();
  await options.afterLoad?.(graph);
  await graph.setMeta(CATALOGUE_META_KEY, c.id);
  return { loaded: true, catalogueId: c.id, ...r, ms: Date.now() - started };
}
