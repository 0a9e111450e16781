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

// v5 (PostgreSQL) / v4 (SQLite): a change log, so a cache can catch up with writes committed by
// other connections (another API replica, a worker, the importer) instead of reloading the whole
// graph (ADR 0005, amendment 2). Columns of `graph_changes`: `kind` is 'node' (inserted: `src` is
// its id, `src_type` its type), 'edge' (inserted: src, src_type, type, dst, dst_type, source,
// confidence, as the snapshot holds it), 'row' (an existing node's row changed; id in `src`) or
// 'reset' (anything a cache cannot apply: a delete, TRUNCATE, a changed edge key, end type or
// confidence, a changed node id or type). A props-only edge update writes nothing.
//
// PostgreSQL: statement-level triggers with transition tables (one event each, as PostgreSQL
// requires). Each first bumps `graph_generation` (`UPDATE … RETURNING`: the row lock every writer
// contends for, held to commit) and writes its rows with `gen` = the new value, so generations are
// assigned in commit order and a snapshot that sees `n = N` sees every row with `gen <= N`.
// Statements that touched no row bump nothing. Every 64 generations rows older than 1,024
// generations are deleted and `pruned` set: a cache whose snapshot is older than `pruned` reloads.
// The migration sets `pruned = n`, so snapshots loaded before it reload.
const POSTGRES_V5 = `
ALTER TABLE graph_generation ADD COLUMN pruned BIGINT NOT NULL DEFAULT 0;
UPDATE graph_generation SET pruned = n;
CREATE TABLE graph_changes (
  gen BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('node', 'edge', 'row', 'reset')),
  src TEXT COLLATE "C",
  src_type TEXT,
  type TEXT COLLATE "C",
  dst TEXT COLLATE "C",
  dst_type TEXT,
  source TEXT COLLATE "C",
  confidence DOUBLE PRECISION
);
CREATE INDEX graph_changes_gen ON graph_changes (gen);
CREATE FUNCTION graph_next_generation() RETURNS BIGINT LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE g BIGINT;
BEGIN
  UPDATE graph_generation SET n = n + 1 RETURNING n INTO g;
  IF g % 64 = 0 THEN
    DELETE FROM graph_changes WHERE gen <= g - 1024;
    UPDATE graph_generation SET pruned = GREATEST(pruned, g - 1024);
  END IF;
  RETURN g;
END $$;
CREATE FUNCTION graph_nodes_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE g BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  g := graph_next_generation();
  INSERT INTO graph_changes (gen, kind, src, src_type) SELECT g, 'node', id, type FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION graph_nodes_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE g BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  g := graph_next_generation();
  -- Ids are unique on both sides: the structure is kept when every new (id, type) was an old one.
  IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS
       (SELECT 1 FROM old_rows o WHERE o.id = n.id AND o.type = n.type)) THEN
    INSERT INTO graph_changes (gen, kind) VALUES (g, 'reset');
  ELSE
    INSERT INTO graph_changes (gen, kind, src, src_type) SELECT g, 'row', id, type FROM new_rows;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION graph_edges_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE g BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  g := graph_next_generation();
  INSERT INTO graph_changes (gen, kind, src, src_type, type, dst, dst_type, source, confidence)
    SELECT g, 'edge', src, src_type, type, dst, dst_type, source, confidence FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION graph_edges_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE g BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  g := graph_next_generation();
  -- Keys are unique on both sides: unchanged structure when every new row was an old one but for props.
  IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS
       (SELECT 1 FROM old_rows o WHERE o.src = n.src AND o.type = n.type AND o.dst = n.dst
          AND o.source = n.source AND o.src_type = n.src_type AND o.dst_type = n.dst_type
          AND o.confidence = n.confidence)) THEN
    INSERT INTO graph_changes (gen, kind) VALUES (g, 'reset');
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION graph_rows_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  INSERT INTO graph_changes (gen, kind) VALUES (graph_next_generation(), 'reset');
  RETURN NULL;
END $$;
CREATE FUNCTION graph_truncated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO graph_changes (gen, kind) VALUES (graph_next_generation(), 'reset');
  RETURN NULL;
END $$;
DROP TRIGGER graph_nodes_generation ON graph_nodes;
DROP TRIGGER graph_edges_generation ON graph_edges;
DROP FUNCTION graph_bump_generation();
CREATE TRIGGER graph_nodes_log_insert AFTER INSERT ON graph_nodes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_nodes_inserted();
CREATE TRIGGER graph_nodes_log_update AFTER UPDATE ON graph_nodes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_nodes_updated();
CREATE TRIGGER graph_nodes_log_delete AFTER DELETE ON graph_nodes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_rows_deleted();
CREATE TRIGGER graph_nodes_log_truncate AFTER TRUNCATE ON graph_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION graph_truncated();
CREATE TRIGGER graph_edges_log_insert AFTER INSERT ON graph_edges REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_edges_inserted();
CREATE TRIGGER graph_edges_log_update AFTER UPDATE ON graph_edges REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_edges_updated();
CREATE TRIGGER graph_edges_log_delete AFTER DELETE ON graph_edges REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION graph_rows_deleted();
CREATE TRIGGER graph_edges_log_truncate AFTER TRUNCATE ON graph_edges
  FOR EACH STATEMENT EXECUTE FUNCTION graph_truncated();
`;

// SQLite: row triggers; a row's position is its AUTOINCREMENT `seq` (never reused while committed,
// so positions follow commit order: one writer at a time). Every 256 rows, rows more than 65,536
// positions old are deleted and `graph_changes_pruned.seq` set.
const SQLITE_V4 = `
CREATE TABLE graph_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('node', 'edge', 'row', 'reset')),
  src TEXT,
  src_type TEXT,
  type TEXT,
  dst TEXT,
  dst_type TEXT,
  source TEXT,
  confidence REAL
);
CREATE TABLE graph_changes_pruned (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), seq INTEGER NOT NULL);
INSERT INTO graph_changes_pruned VALUES (1, 0);
CREATE TRIGGER graph_changes_prune AFTER INSERT ON graph_changes WHEN NEW.seq % 256 = 0 BEGIN
  DELETE FROM graph_changes WHERE seq <= NEW.seq - 65536;
  UPDATE graph_changes_pruned SET seq = max(seq, NEW.seq - 65536);
END;
CREATE TRIGGER graph_nodes_log_insert AFTER INSERT ON graph_nodes BEGIN
  INSERT INTO graph_changes (kind, src, src_type) VALUES ('node', NEW.id, NEW.type);
END;
CREATE TRIGGER graph_nodes_log_update AFTER UPDATE ON graph_nodes BEGIN
  INSERT INTO graph_changes (kind, src, src_type) VALUES
    (CASE WHEN OLD.id IS NEW.id AND OLD.type IS NEW.type THEN 'row' ELSE 'reset' END, NEW.id, NEW.type);
END;
CREATE TRIGGER graph_nodes_log_delete AFTER DELETE ON graph_nodes BEGIN
  INSERT INTO graph_changes (kind) VALUES ('reset');
END;
CREATE TRIGGER graph_edges_log_insert AFTER INSERT ON graph_edges BEGIN
  INSERT INTO graph_changes (kind, src, src_type, type, dst, dst_type, source, confidence)
    VALUES ('edge', NEW.src, NEW.src_type, NEW.type, NEW.dst, NEW.dst_type, NEW.source, NEW.confidence);
END;
CREATE TRIGGER graph_edges_log_update AFTER UPDATE ON graph_edges
  WHEN OLD.src IS NOT NEW.src OR OLD.type IS NOT NEW.type OR OLD.dst IS NOT NEW.dst
    OR OLD.source IS NOT NEW.source OR OLD.src_type IS NOT NEW.src_type
    OR OLD.dst_type IS NOT NEW.dst_type OR OLD.confidence IS NOT NEW.confidence BEGIN
  INSERT INTO graph_changes (kind) VALUES ('reset');
END;
CREATE TRIGGER graph_edges_log_delete AFTER DELETE ON graph_edges BEGIN
  INSERT INTO graph_changes (kind) VALUES ('reset');
END;
`;

/** Graph migrations for SQLite. */
export const GRAPH_SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'graph', sql: SQLITE_V1 },
  { version: 2, name: 'covering edge indexes', sql: SQLITE_V2 },
  { version: 3, name: 'incoming index by source type', sql: SQLITE_V3 },
  { version: 4, name: 'graph change log', sql: SQLITE_V4 },
];

/** Graph migrations for PostgreSQL. */
export const GRAPH_POSTGRES_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'graph', sql: POSTGRES_V1 },
  { version: 2, name: 'covering edge indexes', sql: POSTGRES_V2 },
  { version: 3, name: 'incoming index by source type', sql: POSTGRES_V3 },
  { version: 4, name: 'graph generation counter', sql: POSTGRES_V4 },
  { version: 5, name: 'graph change log', sql: POSTGRES_V5 },
];

/** Throws when a list is not numbered 1..n in order. */
export function assertGraphMigrationsOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`graph migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
