import type { GraphStore } from './contract.js';
import type { ActorMatch } from './enrich-schema.js';
import { parentTechniqueId, techniqueIdOf, techniqueNodeId } from './ids.js';
import type { IndicatorRef } from './indicators.js';
import type { Mention } from './mentions.js';

/**
 * Actor attribution evidence for enrichment. Each actor's score combines, by a
 * noisy-OR, independent pieces of evidence:
 * - techniques: the share of the input's technique information the actor's ATT&CK
 *   technique list explains (each input technique weighted by its score and by its
 *   rarity among actors, ln((N+1)/(df+1)); a sub-technique whose parent the actor
 *   uses counts half), scaled by 0.85 so techniques alone never reach certainty;
 * - its name or an alias in the text: 0.95 (0.75 for a MISP synonym), split between
 *   actors sharing that alias;
 * - software it uses that the text names or an indicator points to: 0.6 / sqrt(number of actors using it);
 * - an input indicator linked to it: 0.9 x the link's confidence directly, 0.7 x it
 *   through a threat attributed to it.
 * The weights are a documented heuristic, not a calibrated probability.
 */

/** What actor scoring needs from the request. */
export interface ActorQuery {
  techniques: ReadonlyMap<string, number>;
  indicators: ReadonlyMap<string, IndicatorRef>;
  mentions: readonly Mention[];
  excludeThreatId: string | undefined;
  maxActors: number;
}

interface Evidence {
  techniques: Map<string, 'exact' | 'parent'>;
  techWeight: number;
  other: number[];
  software: Map<string, { name: string; via: string }>;
  indicators: Map<string, { type: string; value: string; via: string }>;
  aliases: Map<string, string>;
}

const TECHNIQUE_CAP = 0.85;

function evidenceFor(map: Map<string, Evidence>, actor: string): Evidence {
  let e = map.get(actor);
  if (!e) {
    e = {
      techniques: new Map(),
      techWeight: 0,
      other: [],
      software: new Map(),
      indicators: new Map(),
      aliases: new Map(),
    };
    map.set(actor, e);
  }
  return e;
}

async function techniqueEvidence(
  graph: GraphStore,
  q: ActorQuery,
  out: Map<string, Evidence>,
): Promise<void> {
  if (q.techniques.size === 0) return;
  const parents = new Map<string, string[]>();
  for (const t of q.techniques.keys()) {
    const p = parentTechniqueId(t);
    if (p && !q.techniques.has(p)) parents.set(p, [...(parents.get(p) ?? []), t]);
  }
  const nodes = [...q.techniques.keys(), ...parents.keys()].map(techniqueNodeId);
  const edges = await graph.links({
    nodeIds: nodes,
    direction: 'in',
    edgeTypes: ['USES'],
    otherTypes: ['Actor'],
  });
  const users = new Map<string, Set<string>>();
  for (const e of edges) {
    const t = techniqueIdOf(e.dst);
    if (!t) continue;
    let set = users.get(t);
    if (!set) {
      set = new Set();
      users.set(t, set);
    }
    set.add(e.src);
  }
  const n = await graph.countNodes('Actor');
  const idf = (t: string) => Math.log((n + 1) / ((users.get(t)?.size ?? 0) + 1));
  let total = 0;
  for (const [t, score] of q.techniques) {
    const p = parentTechniqueId(t);
    total += score * (users.has(t) || !p ? idf(t) : idf(p));
  }
  if (total <= 0) return;
  for (const [t, actors] of users) {
    for (const actor of actors) {
      const ev = evidenceFor(out, actor);
      if (q.techniques.has(t)) {
        ev.techniques.set(t, 'exact');
        ev.techWeight += ((q.techniques.get(t) ?? 0) * idf(t)) / total;
      }
      for (const child of parents.get(t) ?? []) {
        if (users.get(child)?.has(actor)) continue;
        ev.techniques.set(child, 'parent');
        ev.techWeight += (0.5 * (q.techniques.get(child) ?? 0) * idf(t)) / total;
      }
    }
  }
}

async function indicatorEvidence(
  graph: GraphStore,
  q: ActorQuery,
  out: Map<string, Evidence>,
  software: Map<string, string>,
): Promise<void> {
  if (q.indicators.size === 0) return;
  const edges = await graph.edges({
    nodeIds: [...q.indicators.keys()],
    otherTypes: ['Actor', 'Malware', 'Tool', 'Threat'],
    limitPerNode: 200,
  });
  const viaThreat = new Map<string, { indicator: string; confidence: number }[]>();
  for (const e of edges) {
    const [indicator, other, otherType] = q.indicators.has(e.src)
      ? [e.src, e.dst, e.dstType]
      : [e.dst, e.src, e.srcType];
    const ref = q.indicators.get(indicator);
    if (!ref) continue;
    if (otherType === 'Actor') {
      const ev = evidenceFor(out, other);
      ev.other.push(0.9 * e.confidence);
      ev.indicators.set(indicator, { ...ref, via: 'direct' });
    } else if (otherType === 'Threat') {
      if (other !== q.excludeThreatId)
        viaThreat.set(other, [...(viaThreat.get(other) ?? []), { indicator, confidence: e.confidence }]);
    } else if (!software.has(other)) {
      software.set(other, `indicator ${ref.value}`);
    }
  }
  if (viaThreat.size === 0) return;
  const attributions = await graph.links({
    nodeIds: [...viaThreat.keys()],
    direction: 'out',
    edgeTypes: ['ATTRIBUTED_TO'],
    otherTypes: ['Actor'],
  });
  for (const a of attributions) {
    for (const { indicator, confidence } of viaThreat.get(a.src) ?? []) {
      const ref = q.indicators.get(indicator);
      if (!ref) continue;
      const ev = evidenceFor(out, a.dst);
      ev.other.push(0.7 * confidence * a.confidence);
      if (!ev.indicators.has(indicator)) ev.indicators.set(indicator, { ...ref, via: a.src });
    }
  }
}

async function softwareEvidence(
  graph: GraphStore,
  software: Map<string, string>,
  out: Map<string, Evidence>,
): Promise<void> {
  if (software.size === 0) return;
  const edges = await graph.links({
    nodeIds: [...software.keys()],
    direction: 'in',
    edgeTypes: ['USES'],
    otherTypes: ['Actor'],
  });
  const users = new Map<string, string[]>();
  for (const e of edges) users.set(e.dst, [...(users.get(e.dst) ?? []), e.src]);
  const names = new Map((await graph.getNodes([...users.keys()])).map((n) => [n.id, n.name]));
  for (const [s, actors] of users) {
    const weight = 0.6 / Math.sqrt(actors.length);
    for (const actor of new Set(actors)) {
      const ev = evidenceFor(out, actor);
      ev.other.push(weight);
      ev.software.set(s, { name: names.get(s) ?? s, via: software.get(s) ?? 'mentioned' });
    }
  }
}

/** Ranks actors by the evidence in `q` and describes the best `q.maxActors`. */
export async function matchActors(graph: GraphStore, q: ActorQuery): Promise<ActorMatch[]> {
  const evidence = new Map<string, Evidence>();
  await techniqueEvidence(graph, q, evidence);
  const software = new Map<string, string>();
  for (const m of q.mentions)
    if (m.nodeType === 'Malware' || m.nodeType === 'Tool') software.set(m.nodeId, 'mentioned');
  await indicatorEvidence(graph, q, evidence, software);
  await softwareEvidence(graph, software, evidence);
  for (const m of q.mentions) {
    if (m.nodeType !== 'Actor') continue;
    const ev = evidenceFor(evidence, m.nodeId);
    if (ev.aliases.has(m.text)) continue;
    ev.aliases.set(m.text, m.kind);
    ev.other.push((m.kind === 'synonym' ? 0.75 : 0.95) / m.candidates);
  }
  const scored = [...evidence.entries()]
    .map(([id, e]) => {
      const miss =
        (1 - TECHNIQUE_CAP * Math.min(1, e.techWeight)) *
        e.other.reduce((p, w) => p * (1 - Math.min(1, w)), 1);
      return { id, e, score: 1 - miss };
    })
    .filter((a) => a.score > 0)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, q.maxActors);
  if (scored.length === 0) return [];
  const ids = scored.map((a) => a.id);
  const links = await graph.links({ nodeIds: ids, edgeTypes: ['CONDUCTS', 'ATTRIBUTED_TO', 'TARGETS'] });
  const campaigns = new Map<string, Set<string>>();
  const targets = new Map<string, Set<string>>();
  for (const l of links) {
    if (l.type === 'TARGETS' && l.dstType === 'Target')
      targets.set(l.src, (targets.get(l.src) ?? new Set()).add(l.dst));
    if (l.type === 'CONDUCTS' && l.dstType === 'Campaign')
      campaigns.set(l.src, (campaigns.get(l.src) ?? new Set()).add(l.dst));
    if (l.type === 'ATTRIBUTED_TO' && l.srcType === 'Campaign')
      campaigns.set(l.dst, (campaigns.get(l.dst) ?? new Set()).add(l.src));
  }
  const related = [...campaigns.values(), ...targets.values()].flatMap((s) => [...s]);
  const nodes = new Map((await graph.getNodes([...ids, ...related])).map((n) => [n.id, n]));
  return scored.flatMap(({ id, e, score }) => {
    const node = nodes.get(id);
    if (!node) return [];
    const ref = (x: string) => ({ id: x, name: nodes.get(x)?.name ?? x });
    const match: ActorMatch = {
      id,
      name: node.name,
      score: Math.round(score * 1e4) / 1e4,
      evidence: {
        techniques: [...e.techniques.entries()].sort().map(([t, m]) => ({ id: t, match: m })),
        software: [...e.software.entries()].map(([s, v]) => ({ id: s, ...v })),
        indicators: [...e.indicators.values()],
        aliases: [...e.aliases.entries()].map(([text, kind]) => ({ text, kind })),
      },
      campaigns: [...(campaigns.get(id) ?? [])].sort().slice(0, 20).map(ref),
      targets: [...(targets.get(id) ?? [])]
        .sort()
        .slice(0, 30)
        .map((t) => ({ ...ref(t), kind: String(nodes.get(t)?.props.kind ?? 'unknown') })),
    };
    if (typeof node.props.attackId === 'string') match.attackId = node.props.attackId;
    return [match];
  });
}
