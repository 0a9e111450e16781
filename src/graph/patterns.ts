import { AppError, type Clock, systemClock } from '../core/index.js';
import type { GraphStore, PatternInfo } from './contract.js';
import { associationRules, fpGrowth } from './fpgrowth.js';
import { parentTechniqueId, TECHNIQUE_ID, techniqueIdOf, techniqueNodeId } from './ids.js';
import type { EdgeType, NodeType } from './schema.js';

/**
 * Technique co-occurrence patterns: FP-Growth over the technique sets of
 * actors, campaigns and stored threats, kept in the graph (`graph_itemsets`,
 * `graph_rules`), and "usually seen together" suggestions from the rules.
 */

/** Whose technique sets are transactions. */
export type PatternSource = 'actors' | 'campaigns' | 'threats';

/** Options of {@link minePatterns}. Defaults were chosen on the shipped catalogue (see src/graph/README.md). */
export interface MineOptions {
  /** Fraction of transactions an itemset must appear in. Default 0.1. */
  minSupport?: number;
  /** Smallest rule confidence kept. Default 0.6. */
  minConfidence?: number;
  /** Smallest rule lift kept (1 = no better than chance). Default 1.2. */
  minLift?: number;
  /** Largest itemset (rules have up to maxLength - 1 antecedents). Default 3. */
  maxLength?: number;
  /** `parent` rolls sub-techniques up to their technique (T1059.001 -> T1059). Default `parent`. */
  granularity?: 'parent' | 'exact';
  /** Default all three. */
  sources?: readonly PatternSource[];
  /** Time stamp of the run. Default the system clock. */
  clock?: Clock;
}

/** A technique set used as a transaction. */
export interface TechniqueSet {
  /** The actor, campaign or threat node. */
  id: string;
  techniques: string[];
}

const SOURCE_TYPES: Record<PatternSource, NodeType> = {
  actors: 'Actor',
  campaigns: 'Campaign',
  threats: 'Threat',
};

function granular(id: string, granularity: 'parent' | 'exact'): string {
  return granularity === 'parent' ? (parentTechniqueId(id) ?? id) : id;
}

/** The technique sets (direct USES edges) of every actor, campaign and/or threat. */
export async function collectTechniqueSets(
  graph: GraphStore,
  sources: readonly PatternSource[] = ['actors', 'campaigns', 'threats'],
  granularity: 'parent' | 'exact' = 'parent',
): Promise<TechniqueSet[]> {
  const sets = new Map<string, Set<string>>();
  const filter = {
    types: ['USES'] as EdgeType[],
    srcTypes: sources.map((s) => SOURCE_TYPES[s]),
    dstTypes: ['Technique'] as NodeType[],
  };
  for (
    let page = await graph.scanEdges(undefined, 10_000, filter);
    page.length > 0;
    page = await graph.scanEdges(page.at(-1), 10_000, filter)
  ) {
    for (const e of page) {
      const t = techniqueIdOf(e.dst);
      if (!t) continue;
      let set = sets.get(e.src);
      if (!set) {
        set = new Set();
        sets.set(e.src, set);
      }
      set.add(granular(t, granularity));
    }
  }
  return [...sets.entries()].map(([id, s]) => ({ id, techniques: [...s].sort() }));
}

/** What {@link minePatterns} stored. */
export interface MineResult extends PatternInfo {
  /** Wall time, milliseconds. */
  ms: number;
}

/**
 * Mines frequent technique itemsets and rules and replaces the stored ones.
 * Run after the catalogue load and periodically as threats accumulate (a few
 * hundred transactions take well under a second).
 *
 * @throws AppError CS_ERR_VALIDATION for out-of-range options.
 */
export async function minePatterns(graph: GraphStore, options: MineOptions = {}): Promise<MineResult> {
  const started = Date.now();
  const params = {
    minSupport: options.minSupport ?? 0.1,
    minConfidence: options.minConfidence ?? 0.6,
    minLift: options.minLift ?? 1.2,
    maxLength: options.maxLength ?? 3,
    granularity: options.granularity ?? 'parent',
    sources: [...(options.sources ?? ['actors', 'campaigns', 'threats'])],
  };
  const bad = (field: string, range: string) =>
    new AppError('CS_ERR_VALIDATION', `${field} must be ${range}`, { details: { field } });
  if (!(params.minSupport > 0 && params.minSupport <= 1)) throw bad('minSupport', 'in (0, 1]');
  if (!(params.minConfidence >= 0 && params.minConfidence <= 1)) throw bad('minConfidence', 'in [0, 1]');
  if (!(params.minLift >= 0)) throw bad('minLift', 'at least 0');
  if (!Number.isInteger(params.maxLength) || params.maxLength < 2 || params.maxLength > 5)
    throw bad('maxLength', 'an integer from 2 to 5');
  const sets = await collectTechniqueSets(graph, params.sources, params.granularity);
  const transactions = sets.map((s) => s.techniques);
  const itemsets = fpGrowth(transactions, {
    minCount: params.minSupport * transactions.length,
    maxLength: params.maxLength,
  });
  const rules = associationRules(itemsets, transactions.length, {
    minConfidence: params.minConfidence,
    minLift: params.minLift,
    maxAntecedent: params.maxLength - 1,
  });
  const minedAt = new Date((options.clock ?? systemClock).now()).toISOString();
  await graph.savePatterns({ minedAt, transactions: transactions.length, params, itemsets, rules });
  return {
    minedAt,
    transactions: transactions.length,
    params,
    itemsets: itemsets.length,
    rules: rules.length,
    ms: Date.now() - started,
  };
}

/** A technique usually seen with the given ones. */
export interface TechniqueSuggestion {
  /** ATT&CK id at the mined granularity. */
  id: string;
  name: string | undefined;
  /** Of the rule that suggests it: fraction of transactions holding antecedent and it. */
  support: number;
  /** P(it | antecedent). */
  confidence: number;
  lift: number;
  /** The given techniques that suggest it. */
  because: string[];
}

/**
 * Techniques usually seen together with `techniqueIds` (from the stored rules):
 * for each technique not given, the strongest rule whose antecedent is among the
 * given ones; ranked by confidence, then lift. Empty when no patterns are stored.
 */
export async function suggestTechniques(
  graph: GraphStore,
  techniqueIds: readonly string[],
  options: { limit?: number } = {},
): Promise<TechniqueSuggestion[]> {
  const info = await graph.patternInfo();
  if (!info) return [];
  const granularity = info.params.granularity === 'exact' ? 'exact' : 'parent';
  const maxAntecedent = Math.max(1, Number(info.params.maxLength ?? 3) - 1);
  const given = [
    ...new Set(techniqueIds.filter((t) => TECHNIQUE_ID.test(t)).map((t) => granular(t, granularity))),
  ]
    .sort()
    .slice(0, 40);
  const keys: string[] = [];
  const walk = (start: number, chosen: string[]) => {
    if (chosen.length > 0) keys.push(chosen.join(','));
    if (chosen.length === maxAntecedent) return;
    for (let i = start; i < given.length; i++) walk(i + 1, [...chosen, given[i] as string]);
  };
  walk(0, []);
  const best = new Map<string, TechniqueSuggestion>();
  for (const r of await graph.rulesByAntecedent(keys)) {
    if (given.includes(r.consequent)) continue;
    const before = best.get(r.consequent);
    if (
      !before ||
      r.confidence > before.confidence ||
      (r.confidence === before.confidence && r.lift > before.lift)
    ) {
      best.set(r.consequent, {
        id: r.consequent,
        name: undefined,
        support: r.support,
        confidence: r.confidence,
        lift: r.lift,
        because: r.antecedent,
      });
    }
  }
  const ranked = [...best.values()]
    .sort((a, b) => b.confidence - a.confidence || b.lift - a.lift || (a.id < b.id ? -1 : 1))
    .slice(0, options.limit ?? 10);
  const names = new Map(
    (await graph.getNodes(ranked.map((s) => techniqueNodeId(s.id)))).map((n) => [n.id, n.name]),
  );
  return ranked.map((s) => ({ ...s, name: names.get(techniqueNodeId(s.id)) }));
}
