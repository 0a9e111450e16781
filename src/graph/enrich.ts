import { validate } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { matchActors } from './enrich-actors.js';
import { type EnrichInput, EnrichInputSchema, type EnrichResult } from './enrich-schema.js';
import { parentTechniqueId, techniqueIdOf, techniqueNodeId, vulnerabilityNodeId } from './ids.js';
import { type IndicatorRef, indicatorNodeId, normaliseIndicator } from './indicators.js';
import type { KevFacts } from './kev-import.js';
import { MentionMatcher } from './mentions.js';
import { suggestTechniques } from './patterns.js';

/**
 * Enrichment: what the graph knows around the indicators, techniques, CVEs and
 * names in one piece of text. The HTTP route (`POST /api/v1/enrich`) validates
 * the body with {@link EnrichInputSchema}, obtains `techniques` from the technique
 * mapper, and passes them here; enrichment itself does not map text to techniques.
 */

type Techniques = Map<string, number>;

async function describeTechniques(
  graph: GraphStore,
  q: EnrichInput,
  scores: Techniques,
): Promise<EnrichResult['techniques']> {
  const ids = [...scores.keys()];
  const nodes = new Map((await graph.getNodes(ids.map(techniqueNodeId))).map((n) => [n.id, n]));
  const tactics = await graph.links({
    nodeIds: ids.map(techniqueNodeId),
    direction: 'out',
    edgeTypes: ['IN_TACTIC'],
  });
  const tacticNodes = new Map(
    (await graph.getNodes([...new Set(tactics.map((e) => e.dst))])).map((n) => [n.id, n]),
  );
  const sentences = new Map<string, string[]>();
  for (const t of q.techniques ?? [])
    if (t.sentences) sentences.set(t.id, [...(sentences.get(t.id) ?? []), ...t.sentences]);
  return ids.map((id) => {
    const node = nodes.get(techniqueNodeId(id));
    const out: EnrichResult['techniques'][number] = {
      id,
      score: scores.get(id) ?? 0,
      tactics: tactics
        .filter((e) => e.src === techniqueNodeId(id))
        .map((e) => ({
          id: String(tacticNodes.get(e.dst)?.props.attackId ?? e.dst),
          name: tacticNodes.get(e.dst)?.name ?? e.dst,
        })),
    };
    // A stub (known only from a mapping or a prediction) is named by its id: report no name.
    if (node && node.name !== id) out.name = node.name;
    const s = sentences.get(id);
    if (s) out.sentences = s;
    return out;
  });
}

async function mitigationsFor(graph: GraphStore, scores: Techniques): Promise<EnrichResult['mitigations']> {
  const covers = new Map<string, string[]>();
  for (const t of scores.keys()) {
    covers.set(t, [...(covers.get(t) ?? []), t]);
    const p = parentTechniqueId(t);
    if (p) covers.set(p, [...(covers.get(p) ?? []), t]);
  }
  if (covers.size === 0) return [];
  const edges = await graph.links({
    nodeIds: [...covers.keys()].map(techniqueNodeId),
    direction: 'in',
    edgeTypes: ['MITIGATES'],
    otherTypes: ['Mitigation'],
  });
  const byMitigation = new Map<string, Set<string>>();
  for (const e of edges) {
    const t = techniqueIdOf(e.dst);
    if (!t) continue;
    const set = byMitigation.get(e.src) ?? new Set<string>();
    for (const covered of covers.get(t) ?? []) set.add(covered);
    byMitigation.set(e.src, set);
  }
  const nodes = new Map((await graph.getNodes([...byMitigation.keys()])).map((n) => [n.id, n]));
  return [...byMitigation.entries()]
    .map(([id, set]) => {
      const node = nodes.get(id);
      const m: EnrichResult['mitigations'][number] = {
        id,
        name: node?.name ?? id,
        techniques: [...set].sort(),
      };
      if (typeof node?.props.attackId === 'string') m.attackId = node.props.attackId;
      return m;
    })
    .sort((a, b) => b.techniques.length - a.techniques.length || (a.id < b.id ? -1 : 1));
}

/** KEV status and ATT&CK mappings of CVEs, from the graph. */
export async function kevStatus(
  graph: GraphStore,
  cves: readonly string[],
): Promise<EnrichResult['vulnerabilities']> {
  const ids = [...new Set(cves.flatMap((c) => vulnerabilityNodeId(c) ?? []))];
  if (ids.length === 0) return [];
  const nodes = new Map((await graph.getNodes(ids)).map((n) => [n.id, n]));
  const maps = await graph.edges({
    nodeIds: ids,
    direction: 'in',
    edgeTypes: ['EXPLOITS'],
    otherTypes: ['Technique'],
  });
  const techNames = new Map(
    (await graph.getNodes([...new Set(maps.map((e) => e.src))])).map((n) => [n.id, n.name]),
  );
  return ids.map((id) => {
    const kev = nodes.get(id)?.props.kev as KevFacts | undefined;
    const out: EnrichResult['vulnerabilities'][number] = {
      cve: id.slice('vulnerability:'.length),
      inKev: kev !== undefined,
      techniques: maps
        .filter((e) => e.dst === id)
        .map((e) => ({
          id: techniqueIdOf(e.src) ?? e.src,
          name: techNames.get(e.src) ?? e.src,
          mappingTypes: Array.isArray(e.props.mappingTypes) ? (e.props.mappingTypes as string[]) : [],
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
    if (kev) Object.assign(out, kev);
    return out;
  });
}

async function relatedThreats(
  graph: GraphStore,
  scores: Techniques,
  indicators: ReadonlyMap<string, IndicatorRef>,
  exclude: string | undefined,
  max: number,
): Promise<EnrichResult['relatedThreats']> {
  const shared = new Map<string, { indicators: Set<string>; techniques: Set<string> }>();
  const entry = (id: string) => {
    let s = shared.get(id);
    if (!s) {
      s = { indicators: new Set(), techniques: new Set() };
      shared.set(id, s);
    }
    return s;
  };
  if (indicators.size > 0) {
    // Most recent threats first, bounded per indicator so a ubiquitous indicator cannot flood the answer.
    const edges = await graph.edges({
      nodeIds: [...indicators.keys()],
      direction: 'in',
      edgeTypes: ['CONTAINS'],
      otherTypes: ['Threat'],
      limitPerNode: 100,
    });
    for (const e of edges) if (e.src !== exclude) entry(e.src).indicators.add(e.dst);
  }
  const users = new Map<string, number>();
  if (scores.size > 0) {
    const edges = await graph.edges({
      nodeIds: [...scores.keys()].map(techniqueNodeId),
      direction: 'in',
      edgeTypes: ['USES'],
      otherTypes: ['Threat'],
      limitPerNode: 500,
    });
    for (const e of edges) {
      const t = techniqueIdOf(e.dst);
      if (!t || e.src === exclude) continue;
      users.set(t, (users.get(t) ?? 0) + 1);
      entry(e.src).techniques.add(t);
    }
  }
  if (shared.size === 0) return [];
  const n = await graph.countNodes('Threat');
  const idf = (t: string) => Math.log(1 + n / Math.max(1, users.get(t) ?? 0));
  const total = [...scores.entries()].reduce((s, [t, score]) => s + score * idf(t), 0);
  const ranked = [...shared.entries()]
    .map(([id, s]) => {
      const tech =
        total > 0 ? [...s.techniques].reduce((x, t) => x + (scores.get(t) ?? 0) * idf(t), 0) / total : 0;
      return { id, s, score: 1 - Math.exp(-(s.indicators.size + tech)) };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, max);
  const nodes = new Map((await graph.getNodes(ranked.map((r) => r.id))).map((x) => [x.id, x]));
  return ranked.map(({ id, s, score }) => {
    const node = nodes.get(id);
    const out: EnrichResult['relatedThreats'][number] = {
      id,
      name: node?.name ?? id,
      score: Math.round(score * 1e4) / 1e4,
      shared: {
        indicators: [...s.indicators]
          .flatMap((i) => indicators.get(i) ?? [])
          .map((r) => ({ type: r.type, value: r.value })),
        techniques: [...s.techniques].sort(),
      },
    };
    if (typeof node?.props.severity === 'string') out.severity = node.props.severity;
    const seen = node?.props.observedAt ?? node?.props.published;
    if (typeof seen === 'string') out.observedAt = seen;
    return out;
  });
}

/**
 * Enriches indicators, techniques (`{id, score, sentences?}` from the technique
 * mapper), CVEs and optionally the text itself (for actor and software names):
 * the techniques with their tactics, related stored threats (shared indicators or
 * techniques, ranked, with what they share), associated actors with a score, the
 * evidence, their campaigns and targets, mitigations, KEV status of the CVEs, and
 * techniques usually seen together with the given ones. Read-only.
 *
 * @throws AppError CS_ERR_VALIDATION on malformed input.
 */
export async function enrich(graph: GraphStore, input: EnrichInput): Promise<EnrichResult> {
  const q = validate(EnrichInputSchema, input, 'Enrichment request');
  const scores: Techniques = new Map();
  for (const t of q.techniques ?? []) scores.set(t.id, Math.max(scores.get(t.id) ?? 0, t.score));
  const indicators = new Map<string, IndicatorRef>();
  for (const i of q.indicators ?? []) {
    const id = indicatorNodeId(i.type, i.value);
    const value = normaliseIndicator(i.type, i.value);
    if (id && value !== undefined) indicators.set(id, { type: i.type, value });
  }
  const mentions = q.text ? (await MentionMatcher.forGraph(graph)).find(q.text) : [];
  const techniques = await describeTechniques(graph, q, scores);
  const threats = await relatedThreats(graph, scores, indicators, q.excludeThreatId, q.maxThreats ?? 10);
  const actors = await matchActors(graph, {
    techniques: scores,
    indicators,
    mentions,
    excludeThreatId: q.excludeThreatId,
    maxActors: q.maxActors ?? 10,
  });
  const suggestions = await suggestTechniques(graph, [...scores.keys()], { limit: 10 });
  return {
    techniques,
    relatedThreats: threats,
    actors,
    mitigations: await mitigationsFor(graph, scores),
    vulnerabilities: await kevStatus(graph, q.cves ?? []),
    suggestedTechniques: suggestions.map((s) => {
      const { name, ...rest } = s;
      return name === undefined ? rest : { ...rest, name };
    }),
    mentions: mentions.map((m) => ({
      id: m.nodeId,
      type: m.nodeType,
      name: m.name,
      text: m.text,
      start: m.start,
      end: m.end,
    })),
  };
}
