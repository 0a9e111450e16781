import type Database from 'better-sqlite3';
import type { AssociationRule, Itemset, PatternInfo, PatternRun } from './contract.js';

/** Pattern storage on SQLite (`graph_itemsets`, `graph_rules`, meta key `patterns`), used by `SqliteGraph`. */

type Stmt = (sql: string) => Database.Statement;

/** Replaces the stored itemsets and rules in one transaction. */
export function savePatternsSqlite(db: Database.Database, stmt: Stmt, run: PatternRun): void {
  db.transaction(() => {
    stmt('DELETE FROM graph_itemsets').run();
    stmt('DELETE FROM graph_rules').run();
    const insI = stmt('INSERT INTO graph_itemsets (items, size, count, support) VALUES (?, ?, ?, ?)');
    for (const s of run.itemsets) insI.run(s.items.join(','), s.items.length, s.count, s.support);
    const insR = stmt(
      'INSERT INTO graph_rules (antecedent, consequent, count, support, confidence, lift) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const r of run.rules)
      insR.run(r.antecedent.join(','), r.consequent, r.count, r.support, r.confidence, r.lift);
    const info = { minedAt: run.minedAt, transactions: run.transactions, params: run.params };
    stmt(
      "INSERT INTO graph_meta (key, value) VALUES ('patterns', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(JSON.stringify(info));
  }).immediate();
}

/** The stored run's summary, from its meta value (`raw`) and the table counts. */
export function patternInfoSqlite(stmt: Stmt, raw: string | undefined): PatternInfo | undefined {
  if (raw === undefined) return undefined;
  const info = JSON.parse(raw) as Omit<PatternInfo, 'itemsets' | 'rules'>;
  const n = (sql: string) => (stmt(sql).get() as { n: number }).n;
  return {
    ...info,
    itemsets: n('SELECT COUNT(*) AS n FROM graph_itemsets'),
    rules: n('SELECT COUNT(*) AS n FROM graph_rules'),
  };
}

/** Rules whose antecedent key is one of `keys`. */
export function rulesByAntecedentSqlite(stmt: Stmt, keys: readonly string[]): AssociationRule[] {
  if (keys.length === 0) return [];
  const rows = stmt(
    `SELECT antecedent, consequent, count, support, confidence, lift FROM graph_rules
     WHERE antecedent IN (SELECT value FROM json_each(?)) ORDER BY antecedent, consequent`,
  ).all(JSON.stringify(keys)) as (Omit<AssociationRule, 'antecedent'> & { antecedent: string })[];
  return rows.map((r) => ({ ...r, antecedent: r.antecedent.split(',') }));
}

/** Stored itemsets, largest count first. */
export function itemsetsSqlite(
  stmt: Stmt,
  options: { containing?: string; minSize?: number; limit?: number },
): Itemset[] {
  const rows = stmt(
    `SELECT items, count, support FROM graph_itemsets
     WHERE size >= ? AND (? IS NULL OR ',' || items || ',' LIKE '%,' || ? || ',%')
     ORDER BY count DESC, items LIMIT ?`,
  ).all(
    options.minSize ?? 1,
    options.containing ?? null,
    options.containing ?? null,
    options.limit ?? 100,
  ) as {
    items: string;
    count: number;
    support: number;
  }[];
  return rows.map((r) => ({ items: r.items.split(','), count: r.count, support: r.support }));
}
