import type { GraphStore } from './contract.js';
import { NODE_TYPES, type Props } from './schema.js';

/**
 * Exports the whole graph as Cypher statements for Neo4j 5, one statement per
 * line: a uniqueness constraint per label, then `MERGE` per node (keyed by `id`)
 * and per edge (keyed by its type and `source`), so loading the script twice
 * leaves one copy (`cypher-shell -f graph.cypher`). Node props become
 * properties; nested values (KEV facts) become JSON strings, since Neo4j
 * properties cannot hold maps. Streams page by page: memory stays flat.
 */

/** A Cypher string literal: single quotes, with backslash escapes for quotes, backslashes and control characters. */
export function cypherString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}'`;
}

/** A backtick-quoted Cypher identifier (backticks doubled). */
export function cypherName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return cypherString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return `[${value.map((v) => cypherString(v as string)).join(', ')}]`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)))
    return `[${value.join(', ')}]`;
  return cypherString(JSON.stringify(value));
}

function sets(variable: string, props: Props, reserved: readonly string[]): string[] {
  return Object.keys(props)
    .filter((k) => !reserved.includes(k))
    .sort()
    .flatMap((k) => {
      const v = literal(props[k]);
      return v === undefined ? [] : [`${variable}.${cypherName(k)} = ${v}`];
    });
}

/** Counts of what {@link exportCypher} wrote. */
export interface CypherExportResult {
  constraints: number;
  nodes: number;
  edges: number;
}

/**
 * Writes the graph as Cypher, one statement per call of `write` (each ends with `;`).
 * `write` may return a promise (e.g. a stream's drain), which is awaited.
 */
export async function exportCypher(
  graph: GraphStore,
  write: (statement: string) => void | Promise<void>,
  options: { pageSize?: number } = {},
): Promise<CypherExportResult> {
  const pageSize = options.pageSize ?? 2000;
  const result: CypherExportResult = { constraints: 0, nodes: 0, edges: 0 };
  for (const label of NODE_TYPES) {
    await write(
      `CREATE CONSTRAINT ${cypherName(`cs_${label.toLowerCase()}_id`)} IF NOT EXISTS FOR (n:${cypherName(label)}) REQUIRE n.id IS UNIQUE;`,
    );
    result.constraints++;
  }
  for (
    let page = await graph.scanNodes(undefined, pageSize);
    page.length > 0;
    page = await graph.scanNodes(page.at(-1)?.id, pageSize)
  ) {
    for (const n of page) {
      const assignments = [
        `n.name = ${cypherString(n.name)}`,
        `n.sources = ${literal(n.sources) ?? '[]'}`,
        ...sets('n', n.props, ['id', 'name', 'sources']),
      ];
      await write(
        `MERGE (n:${cypherName(n.type)} {id: ${cypherString(n.id)}}) SET ${assignments.join(', ')};`,
      );
      result.nodes++;
    }
  }
  for (
    let page = await graph.scanEdges(undefined, pageSize);
    page.length > 0;
    page = await graph.scanEdges(page.at(-1), pageSize)
  ) {
    for (const e of page) {
      const assignments = [
        `r.confidence = ${literal(e.confidence)}`,
        ...sets('r', e.props, ['source', 'confidence']),
      ];
      await write(
        `MATCH (a:${cypherName(e.srcType)} {id: ${cypherString(e.src)}}), (b:${cypherName(e.dstType)} {id: ${cypherString(e.dst)}}) ` +
          `MERGE (a)-[r:${cypherName(e.type)} {source: ${cypherString(e.source)}}]->(b) SET ${assignments.join(', ')};`,
      );
      result.edges++;
    }
  }
  return result;
}
