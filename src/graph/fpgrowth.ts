import type { AssociationRule, Itemset } from './contract.js';

/**
 * FP-Growth (Han, Pei and Yin, 2000): frequent itemsets without candidate
 * generation. Transactions are compressed into a prefix tree ordered by item
 * frequency; each item's conditional pattern base (the prefixes above its
 * nodes) is mined recursively. Pure and deterministic: ties in frequency are
 * broken by item name, and results are sorted.
 */

/** Options of {@link fpGrowth}. */
export interface FpGrowthOptions {
  /** Smallest number of transactions an itemset must appear in (at least 1). */
  minCount: number;
  /** Largest itemset size. Default unlimited. */
  maxLength?: number;
}

interface TreeNode {
  item: string;
  count: number;
  parent: TreeNode | undefined;
  children: Map<string, TreeNode>;
}

interface Tree {
  /** item -> its nodes, items in mining order (least frequent first). */
  header: Map<string, TreeNode[]>;
}

function buildTree(weighted: readonly { items: readonly string[]; count: number }[], minCount: number): Tree {
  const freq = new Map<string, number>();
  for (const t of weighted) for (const item of t.items) freq.set(item, (freq.get(item) ?? 0) + t.count);
  const order = [...freq.entries()]
    .filter(([, c]) => c >= minCount)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .map(([item]) => item);
  const rank = new Map(order.map((item, i) => [item, i]));
  const root: TreeNode = { item: '', count: 0, parent: undefined, children: new Map() };
  const nodes = new Map<string, TreeNode[]>(order.map((item) => [item, []]));
  for (const t of weighted) {
    const path = t.items.filter((i) => rank.has(i)).sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    let at = root;
    for (const item of path) {
      let child = at.children.get(item);
      if (!child) {
        child = { item, count: 0, parent: at, children: new Map() };
        at.children.set(item, child);
        nodes.get(item)?.push(child);
      }
      child.count += t.count;
      at = child;
    }
  }
  return { header: new Map([...nodes.entries()].reverse()) };
}

function mine(
  tree: Tree,
  suffix: string[],
  minCount: number,
  maxLength: number,
  out: Map<string, Itemset>,
  n: number,
): void {
  for (const [item, nodes] of tree.header) {
    const count = nodes.reduce((s, node) => s + node.count, 0);
    if (count < minCount) continue;
    const items = [item, ...suffix].sort();
    out.set(items.join('\u0000'), { items, count, support: count / n });
    if (items.length >= maxLength) continue;
    const base: { items: string[]; count: number }[] = [];
    for (const node of nodes) {
      const prefix: string[] = [];
      for (let p = node.parent; p && p.item !== ''; p = p.parent) prefix.push(p.item);
      if (prefix.length > 0) base.push({ items: prefix, count: node.count });
    }
    if (base.length > 0) mine(buildTree(base, minCount), [item, ...suffix], minCount, maxLength, out, n);
  }
}

/**
 * All itemsets appearing in at least `minCount` transactions (duplicates within a
 * transaction count once), sorted by count (descending), then size, then items.
 */
export function fpGrowth(transactions: readonly (readonly string[])[], options: FpGrowthOptions): Itemset[] {
  const minCount = Math.max(1, Math.ceil(options.minCount));
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  const weighted = transactions.map((t) => ({ items: [...new Set(t)], count: 1 }));
  const out = new Map<string, Itemset>();
  if (maxLength >= 1) mine(buildTree(weighted, minCount), [], minCount, maxLength, out, transactions.length);
  return [...out.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.items.length - b.items.length ||
      (a.items.join(',') < b.items.join(',') ? -1 : 1),
  );
}

/** Options of {@link associationRules}. */
export interface RuleOptions {
  /** Smallest P(consequent | antecedent). */
  minConfidence: number;
  /** Smallest lift. Default 0 (all). */
  minLift?: number;
  /** Largest antecedent. Default unlimited. */
  maxAntecedent?: number;
}

/**
 * Single-consequent rules `A -> c` from frequent itemsets (A ∪ {c} frequent),
 * with support, confidence and lift; sorted by confidence, then lift, then items.
 * Every subset of a frequent itemset is itself in `itemsets` (FP-Growth guarantees
 * it up to `maxLength`), so no transaction is read again.
 */
export function associationRules(
  itemsets: readonly Itemset[],
  transactions: number,
  options: RuleOptions,
): AssociationRule[] {
  const count = new Map(itemsets.map((s) => [s.items.join('\u0000'), s.count]));
  const rules: AssociationRule[] = [];
  for (const s of itemsets) {
    if (s.items.length < 2 || s.items.length - 1 > (options.maxAntecedent ?? Number.POSITIVE_INFINITY))
      continue;
    for (const consequent of s.items) {
      const antecedent = s.items.filter((i) => i !== consequent);
      const a = count.get(antecedent.join('\u0000'));
      const c = count.get(consequent);
      if (a === undefined || c === undefined) continue;
      const confidence = s.count / a;
      const lift = confidence / (c / transactions);
      if (confidence < options.minConfidence || lift < (options.minLift ?? 0)) continue;
      rules.push({
        antecedent,
        consequent,
        count: s.count,
        support: s.count / transactions,
        confidence,
        lift,
      });
    }
  }
  return rules.sort(
    (x, y) =>
      y.confidence - x.confidence ||
      y.lift - x.lift ||
      (`${x.antecedent.join(',')}>${x.consequent}` < `${y.antecedent.join(',')}>${y.consequent}` ? -1 : 1),
  );
}
