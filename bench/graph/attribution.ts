/**
 * How well enrichment's actor ranking attributes ATT&CK campaigns from their
 * techniques alone (bench/graph/README.md, "Attribution check"):
 *
 *   nice -n 10 node --import tsx bench/graph/attribution.ts
 *
 * For every campaign of the shipped catalogue attributed to a group, the
 * campaign's techniques (score 1 each) go to `enrich()`; we record the rank of the
 * attributed group among the returned actors (up to 50). Baseline in the same run:
 * actors ranked by the plain number of shared techniques (no rarity weighting).
 * Caveat: ATT&CK often lists a campaign's techniques on its group too, so this is
 * an optimistic check of the ranking, not an attribution accuracy.
 */
import { enrich, ensureCatalogueLoaded, openSqliteGraph, techniqueIdOf } from '../../src/graph/index.js';

const graph = openSqliteGraph({ path: ':memory:' });
await ensureCatalogueLoaded(graph);
const attributions = (
  await graph.scanEdges(undefined, 100_000, { types: ['ATTRIBUTED_TO'], srcTypes: ['Campaign'] })
).filter((e) => e.dstType === 'Actor');
const ranks: { ours: number; baseline: number }[] = [];
for (const a of attributions) {
  const uses = await graph.edges({
    nodeIds: [a.src],
    direction: 'out',
    edgeTypes: ['USES'],
    otherTypes: ['Technique'],
  });
  const techniques = [...new Set(uses.flatMap((e) => techniqueIdOf(e.dst) ?? []))];
  if (techniques.length === 0) continue;
  const result = await enrich(graph, {
    techniques: techniques.map((id) => ({ id, score: 1 })),
    maxActors: 50,
  });
  const ours = result.actors.findIndex((x) => x.id === a.dst) + 1;
  // Baseline: count of exactly shared techniques, ties broken by id.
  const users = await graph.edges({
    nodeIds: techniques.map((t) => `technique:${t}`),
    direction: 'in',
    edgeTypes: ['USES'],
    otherTypes: ['Actor'],
  });
  const counts = new Map<string, number>();
  for (const u of users) counts.set(u.src, (counts.get(u.src) ?? 0) + 1);
  const order = [...counts.entries()]
    .sort(([ia, a1], [ib, b1]) => b1 - a1 || (ia < ib ? -1 : 1))
    .map(([id]) => id);
  const baseline = order.indexOf(a.dst) + 1;
  ranks.push({ ours: ours || 51, baseline: baseline || 51 });
}
const summary = (key: 'ours' | 'baseline') => {
  const r = ranks.map((x) => x[key]);
  return {
    hitAt1: r.filter((x) => x === 1).length / r.length,
    hitAt5: r.filter((x) => x <= 5).length / r.length,
    mrr: r.reduce((s, x) => s + (x <= 50 ? 1 / x : 0), 0) / r.length,
  };
};
process.stdout.write(
  `${JSON.stringify({ campaigns: ranks.length, enrich: summary('ours'), sharedCount: summary('baseline') }, null, 2)}\n`,
);
await graph.close();
