import type { Migration } from '../store/index.js';

/**
 * The graph's own tables, with their own migration record (`graph_schema_migrations`),
 * so the graph can live in its own SQLite file or beside the main store's tables
 * in one PostgreSQL schema without either module touching the other's migrations.
 * Append only: a shipped migration is never edited.
 *
 * Indexes: edges are keyed by (src, type, dst, source), which serves outgoing
 * lookups; `graph_edges_in` (dst, type, src) serves incoming ones, covering the
 * columns traversals read since v2 (plus `graph_edges_out` on PostgreSQL, whose
 * tables are heaps). Edges carry the type of the far end (`dst_type`, `src_type`)
 * so type-filtered traversals need no join. Aliases are looked up by normalised form. PostgreSQL key columns
 * use the "C" collation so ordering (export cursors) matches SQLite byte order.
 */

const SQLITE_V1 = `
CREATE TABLE graph_nodes (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  props TEXT NOT NULL DEFAULT '{}',
  sources TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX graph_nodes_type ON graph_nodes (type, id);
CREATE TABLE graph_edges (
  src TEXT NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  src_type TEXT NOT NULL,
  type TEXT NOT NULL,
  dst TEXT NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  dst_type TEXT NOT NULL,
  source TEXT NOT NULL,
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  props TEXT NOT NULL DEFAULT '{}',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (src, type, dst, source)
) WITHOUT ROWID;
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src);
CREATE TABLE graph_aliases (
  norm TEXT NOT NULL,
  node_id TEXT NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  node_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (norm, node_id, kind)
) WITHOUT ROWID;
CREATE INDEX graph_aliases_node ON graph_aliases (node_id);
CREATE INDEX graph_aliases_type ON graph_aliases (node_type, kind);
CREATE TABLE graph_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE graph_itemsets (
  items TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  count INTEGER NOT NULL,
  support REAL NOT NULL
);
CREATE TABLE graph_rules (
  antecedent TEXT NOT NULL,
  consequent TEXT NOT NULL,
  count INTEGER NOT NULL,
  support REAL NOT NULL,
  confidence REAL NOT NULL,
  lift REAL NOT NULL,
  PRIMARY KEY (antecedent, consequent)
);
`;

const POSTGRES_V1 = `
CREATE TABLE graph_nodes (
  id TEXT COLLATE "C" PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  props JSONB NOT NULL DEFAULT '{}',
  sources JSONB NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX graph_nodes_type ON graph_nodes (type, id);
CREATE TABLE graph_edges (
  src TEXT COLLATE "C" NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  src_type TEXT NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  dst TEXT COLLATE "C" NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  dst_type TEXT NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  confidence DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  props JSONB NOT NULL DEFAULT '{}',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (src, type, dst, source)
);
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src);
CREATE TABLE graph_aliases (
  norm TEXT COLLATE "C" NOT NULL,
  node_id TEXT COLLATE "C" NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE,
  node_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (norm, node_id, kind)
);
CREATE INDEX graph_aliases_node ON graph_aliases (node_id);
CREATE INDEX graph_aliases_type ON graph_aliases (node_type, kind);
CREATE TABLE graph_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE graph_itemsets (
  items TEXT COLLATE "C" PRIMARY KEY,
  size INTEGER NOT NULL,
  count INTEGER NOT NULL,
  support DOUBLE PRECISION NOT NULL
);
CREATE TABLE graph_rules (
  antecedent TEXT COLLATE "C" NOT NULL,
  consequent TEXT COLLATE "C" NOT NULL,
  count INTEGER NOT NULL,
  support DOUBLE PRECISION NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  lift DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (antecedent, consequent)
);
`;

// v2: covering indexes for traversals. A 2-hop query reads thousands of edges; with the v1
// index every incoming edge cost one more lookup into the table for its far-end type, source
// and confidence. On PostgreSQL (heap tables) both directions get an index-only path.
const SQLITE_V2 = `
DROP INDEX graph_edges_in;
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src, source, src_type, dst_type, confidence);
`;

const POSTGRES_V2 = `
DROP INDEX graph_edges_in;
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src) INCLUDE (source, src_type, dst_type, confidence);
CREATE INDEX graph_edges_out ON graph_edges (src, type, dst) INCLUDE (source, src_type, dst_type, confidence);
`;

// v3: the incoming index leads with the far end's type, so "who (of type X) points at these
// nodes" seeks straight to the rows of that type instead of filtering every incoming edge
// (a technique has hundreds of malware users and a few dozen actors; enrichment asks for actors).
const SQLITE_V3 = `
DROP INDEX graph_edges_in;
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src_type, src, source, dst_type, confidence);
`;

const POSTGRES_V3 = `
DROP INDEX graph_edges_in;
CREATE INDEX graph_edges_in ON graph_edges (dst, type, src_type, src) INCLUDE (source, dst_type, confidence);
`;

// v4 (PostgreSQL only): a generation counter bumped in the same transaction as every statement
// writing nodes or edges, whoever runs it (statement-level triggers, so a bulk write bumps it once).
// Each store's in-process adjacency cache reads it once per query and reloads when it moved, so
// writes by other API replicas and workers invalidate it. `SET search_path FROM CURRENT` pins the
// function to the graph's schema whatever search_path the writing connection has. SQLite needs no
// table: `PRAGMA data_version` tells a connection that another one committed.
const POSTGRES_V4 = `
CREATE TABLE graph_generation (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), n BIGINT NOT NULL);
INSERT INTO graph_generation (n) VALUES (0);
CREATE FUNCTION graph_bump_generation() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE graph_generation SET n = n + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER graph_nodes_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON graph_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION graph_bump_generation();
CREATE TRIGGER graph_edges_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON graph_edges
  FOR EACH STATEMENT EXECUTE FUNCTION graph_bump_generation();
`;

/** Graph migrations for SQLite. */
export const GRAPH_SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'graph', sql: SQLITE_V1 },
  { version: 2, name: 'covering edge indexes', sql: SQLITE_V2 },
  { version: 3, name: 'incoming index by source type', sql: SQLITE_V3 },
];

/** Graph migrations for PostgreSQL. */
export const GRAPH_POSTGRES_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'graph', sql: POSTGRES_V1 },
  { version: 2, name: 'covering edge indexes', sql: POSTGRES_V2 },
  { version: 3, name: 'incoming index by source type', sql: POSTGRES_V3 },
  { version: 4, name: 'graph generation counter', sql: POSTGRES_V4 },
];

/** Throws when a list is not numbered 1..n in order. */
export function assertGraphMigrationsOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`graph migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
