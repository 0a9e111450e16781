import type pg from 'pg';
import type { AssociationRule, Itemset, PatternInfo, PatternRun } from './contract.js';
import { chunks, type Query } from './postgres-rows.js';

/** Pattern storage on PostgreSQL (`graph_itemsets`, `graph_rules`, meta key `patterns`), used by `PostgresGraph`. */

/** Replaces the stored itemsets and rules; call inside a transaction. */
export async function savePatternsPostgres(client: pg.PoolClient, run: PatternRun): Promise<void> {
  {
    await client.query('DELETE FROM graph_itemsets');
    await client.query('DELETE FROM graph_rules');
    for (const part of chunks(run.itemsets)) {
      await client.query(
        `INSERT INTO graph_itemsets (items, size, count, support)
         SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::float8[])`,
        [
          part.map((s) => s.items.join(',')),
          part.map((s) => s.items.length),
          part.map((s) => s.count),
          part.map((s) => s.support),
        ],
      );
    }
    for (const part of chunks(run.rules)) {
      await client.query(
        `INSERT INTO graph_rules (antecedent, consequent, count, support, confidence, lift)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[])`,
        [
          part.map((r) => r.antecedent.join(',')),
          part.map((r) => r.consequent),
          part.map((r) => r.count),
          part.map((r) => r.support),
          part.map((r) => r.confidence),
          part.map((r) => r.lift),
        ],
      );
    }
    const info = { minedAt: run.minedAt, transactions: run.transactions, params: run.params };
    await client.query(
      "INSERT INTO graph_meta (key, value) VALUES ('patterns', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [JSON.stringify(info)],
    );
  }
}

/** The stored run's summary, from its meta value (`raw`) and the table counts. */
export async function patternInfoPostgres(
  q: Query,
  raw: string | undefined,
): Promise<PatternInfo | undefined> {
  if (raw === undefined) return undefined;
  const info = JSON.parse(raw) as Omit<PatternInfo, 'itemsets' | 'rules'>;
  const n = async (sql: string) => (await q<{ n: number }>(sql))[0]?.n ?? 0;
  return {
    ...info,
    itemsets: await n('SELECT COUNT(*)::int AS n FROM graph_itemsets'),
    rules: await n('SELECT COUNT(*)::int AS n FROM graph_rules'),
  };
}

/** Rules whose antecedent key is one of `keys`. */
export async function rulesByAntecedentPostgres(
  q: Query,
  keys: readonly string[],
): Promise<AssociationRule[]> {
  if (keys.length === 0) return [];
  const rows = await q<{
    antecedent: string;
    consequent: string;
    count: number;
    support: number;
    confidence: number;
    lift: number;
  }>(
    `SELECT antecedent, consequent, count, support, confidence, lift FROM graph_rules
     WHERE antecedent = ANY($1::text[]) ORDER BY antecedent, consequent`,
    [keys],
  );
  return rows.map((r) => ({ ...r, antecedent: r.antecedent.split(',') }));
}

/** Stored itemsets, largest count first. */
export async function itemsetsPostgres(
  q: Query,
  options: { containing?: string; minSize?: number; limit?: number },
): Promise<Itemset[]> {
  const rows = await q<{ items: string; count: number; support: number }>(
    `SELECT items, count, support FROM graph_itemsets
     WHERE size >= $1 AND ($2::text IS NULL OR ',' || items || ',' LIKE '%,' || $2 || ',%')
     ORDER BY count DESC, items LIMIT $3`,
    [options.minSize ?? 1, options.containing ?? null, options.limit ?? 100],
  );
  return rows.map((r) => ({ items: r.items.split(','), count: r.count, support: r.support }));
}
