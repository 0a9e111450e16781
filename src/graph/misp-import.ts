import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { isAttackGroupId, targetNodeId, xid } from './ids.js';
import {
  BatchBuilder,
  emptyReport,
  type ImportOptions,
  type ImportReport,
  isObject,
  readProgress,
  skip,
  str,
  strings,
} from './import-common.js';
import { NodeResolver } from './resolver.js';
import type { EdgeType, NodeType } from './schema.js';

/**
 * Imports MISP galaxy cluster files: threat actors (synonyms, origin country,
 * targeted sectors and victim countries), Microsoft activity groups,
 * ransomware, Malpedia families, RATs, botnets, tools, sectors and countries.
 * Actors and software merge into existing nodes through the alias table (an
 * actor whose name or `similar` link or G-id points at an ATT&CK group joins it;
 * its synonyms become synonyms of that group). Cluster `related` links become
 * edges once both ends are known, so importing all files in one call links them
 * all; a later import of a missing file and a re-run fills the rest in.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type GalaxyKind = 'actor' | 'malware' | 'tool' | 'sector' | 'country';

const KIND_BY_TYPE: Record<string, GalaxyKind> = {
  'threat-actor': 'actor',
  'microsoft-activity-group': 'actor',
  ransomware: 'malware',
  malpedia: 'malware',
  rat: 'malware',
  botnet: 'malware',
  backdoor: 'malware',
  stealer: 'malware',
  banker: 'malware',
  android: 'malware',
  tool: 'tool',
  sector: 'sector',
  country: 'country',
};

// Countries and sectors first, so actors find their targets; software before actors, so `uses` links resolve.
const ORDER: Record<GalaxyKind, number> = { country: 0, sector: 1, tool: 2, malware: 3, actor: 4 };

/** MISP estimative-language likelihood tags to a confidence. */
const LIKELIHOOD: Record<string, number> = {
  'almost-no-chance': 0.05,
  'very-unlikely': 0.15,
  unlikely: 0.3,
  'roughly-even-chance': 0.5,
  likely: 0.7,
  'very-likely': 0.85,
  'almost-certain': 0.95,
};
const DEFAULT_CONFIDENCE = 0.6;

interface Galaxy {
  type: string;
  kind: GalaxyKind;
  values: unknown[];
}

interface Pending {
  galaxy: Galaxy;
  value: Record<string, unknown>;
  nodeId: string;
}

function kindOf(g: Record<string, unknown>): GalaxyKind | undefined {
  const type = String(g.type);
  if (KIND_BY_TYPE[type]) return KIND_BY_TYPE[type];
  if (g.category === 'actor') return 'actor';
  if (g.category === 'tool') return 'malware';
  return undefined;
}

function confidenceOf(tags: unknown): number {
  for (const t of strings(tags)) {
    const m = /likelihood-probability="([a-z-]+)"/.exec(t);
    const c = m?.[1] ? LIKELIHOOD[m[1]] : undefined;
    if (c !== undefined) return c;
  }
  return DEFAULT_CONFIDENCE;
}

/**
 * Imports one or more MISP galaxy cluster files (parsed JSON).
 *
 * @throws AppError CS_ERR_VALIDATION when an input is not a galaxy cluster file; nothing is written.
 */
export async function importMispGalaxies(
  graph: GraphStore,
  inputs: readonly unknown[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const source = options.source ?? 'misp-galaxy';
  const report = emptyReport('misp-galaxy', source);
  const galaxies: Galaxy[] = [];
  inputs.forEach((g, i) => {
    if (!isObject(g) || typeof g.type !== 'string' || !Array.isArray(g.values)) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Input ${i + 1} is not a MISP galaxy cluster file (needs "type" and "values")`,
      );
    }
    const kind = kindOf(g);
    if (kind) galaxies.push({ type: g.type, kind, values: g.values });
    else report.ignored += g.values.length;
  });
  galaxies.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const resolver = await NodeResolver.load(graph, ['Actor', 'Malware', 'Tool', 'Target', 'Technique']);
  const builder = new BatchBuilder(resolver, report);
  const total = galaxies.reduce((n, g) => n + g.values.length, 0);
  const progress = readProgress('misp-galaxy', total, options.onProgress);
  const pending: Pending[] = [];
  for (const galaxy of galaxies) {
    galaxy.values.forEach((v, i) => {
      report.records++;
      progress(report.records);
      const ref = `${galaxy.type}[${i}]`;
      if (!isObject(v)) {
        skip(report, ref, 'not an object');
        return;
      }
      const name = str(v.value, 512);
      const uuid = typeof v.uuid === 'string' && UUID.test(v.uuid) ? v.uuid.toLowerCase() : undefined;
      if (!name) {
        skip(report, ref, 'no value');
        return;
      }
      if (!uuid) {
        skip(report, `${ref} ${name}`, 'no valid uuid');
        return;
      }
      const nodeId = addNode(builder, galaxy, v, name, uuid, source);
      if (!nodeId) {
        skip(report, `${ref} ${name}`, 'country without an ISO code');
        return;
      }
      report.imported++;
      pending.push({ galaxy, value: v, nodeId });
    });
  }
  for (const p of pending) addLinks(builder, p, source);
  await builder.flush(graph, options.onProgress);
  return report;
}

function meta(v: Record<string, unknown>): Record<string, unknown> {
  return isObject(v.meta) ? v.meta : {};
}

function addNode(
  builder: BatchBuilder,
  galaxy: Galaxy,
  v: Record<string, unknown>,
  name: string,
  uuid: string,
  source: string,
): string | undefined {
  const m = meta(v);
  const synonyms = strings(m.synonyms).filter((s) => s !== name);
  const own = [xid.uuid(uuid)];
  const similar = relatedOf(v)
    .filter((r) => r.type === 'similar')
    .map((r) => xid.uuid(r.dest));
  const r = builder.resolver;
  switch (galaxy.kind) {
    case 'country': {
      const iso2 = str(m.ISO, 2);
      if (!iso2 || !/^[A-Za-z]{2}$/.test(iso2)) return undefined;
      const iso3 = str(m.ISO3, 3);
      const id = targetNodeId('country', iso2);
      const display = str(v.description, 80) ?? name;
      const xids = [...own, xid.iso(iso2), ...(iso3 ? [xid.iso(iso3)] : [])];
      builder.addNode({
        id,
        type: 'Target',
        name: display,
        aliases: [name],
        xids,
        props: { kind: 'country', iso2: iso2.toUpperCase() },
        source,
      });
      return id;
    }
    case 'sector': {
      const found = r.resolve({ types: ['Target'], ownXids: own, name });
      const id = found ?? targetNodeId('sector', name);
      builder.addNode({
        id,
        type: 'Target',
        name,
        aliases: synonyms,
        xids: own,
        props: { kind: 'sector' },
        source,
      });
      return id;
    }
    case 'actor': {
      const gids = [...synonyms, ...strings(m['name-attribution']).map((s) => s.split(':')[0] ?? '')]
        .filter(isAttackGroupId)
        .map(xid.attack);
      const found = r.resolve({
        types: ['Actor'],
        ownXids: own,
        name,
        hintXids: [...gids, ...similar],
        aliases: synonyms,
      });
      const id = found ?? `actor:misp:${uuid}`;
      const props: Record<string, unknown> = {};
      const origin = str(m.country, 2);
      if (origin) props.origin = origin.toUpperCase();
      const sponsor = str(m['cfr-suspected-state-sponsor'], 80);
      if (sponsor) props.stateSponsor = sponsor;
      builder.addNode({
        id,
        type: 'Actor',
        name,
        aliases: synonyms,
        aliasKind: 'synonym',
        xids: own,
        props,
        source,
      });
      return id;
    }
    default: {
      const kind: NodeType = galaxy.kind === 'tool' ? 'Tool' : 'Malware';
      const found = r.resolve({
        types: ['Malware', 'Tool'],
        ownXids: own,
        name,
        hintXids: similar,
        aliases: synonyms,
      });
      const id = found ?? `${kind.toLowerCase()}:misp:${uuid}`;
      const type = (found && r.typeOf(found)) || kind;
      const props: Record<string, unknown> = galaxy.type === 'ransomware' ? { ransomware: true } : {};
      builder.addNode({ id, type, name, aliases: synonyms, aliasKind: 'synonym', xids: own, props, source });
      return id;
    }
  }
}

function relatedOf(v: Record<string, unknown>): { dest: string; type: string; confidence: number }[] {
  if (!Array.isArray(v.related)) return [];
  return v.related.flatMap((x) => {
    if (!isObject(x) || typeof x['dest-uuid'] !== 'string' || !UUID.test(x['dest-uuid'])) return [];
    return [
      {
        dest: x['dest-uuid'].toLowerCase(),
        type: String(x.type ?? '').trim(),
        confidence: confidenceOf(x.tags),
      },
    ];
  });
}

function sectorNode(builder: BatchBuilder, name: string, source: string): string {
  const found = builder.resolver.byName(name, ['Target']).find((h) => h.id.startsWith('target:sector:'))?.id;
  if (found) return found;
  const id = targetNodeId('sector', name);
  builder.addNode({ id, type: 'Target', name, props: { kind: 'sector' }, source });
  return id;
}

function addLinks(builder: BatchBuilder, p: Pending, source: string): void {
  const { value: v, nodeId } = p;
  const ref = `${p.galaxy.type} ${String(v.value)}`;
  const edge = (
    src: string,
    type: EdgeType,
    dst: string,
    confidence: number,
    props?: Record<string, unknown>,
  ) => builder.addEdge({ src, type, dst, source, confidence, ...(props ? { props } : {}) }, ref);
  if (p.galaxy.kind === 'actor') {
    const m = meta(v);
    const sectors = new Set([
      ...strings(m['targeted-sector'], 128),
      ...strings(m['cfr-target-category'], 128),
    ]);
    for (const s of sectors) edge(nodeId, 'TARGETS', sectorNode(builder, s, source), DEFAULT_CONFIDENCE);
    for (const victim of strings(m['cfr-suspected-victims'], 128)) {
      // Victim lists mix countries and organisations; only names of known countries become edges.
      const country = builder.resolver
        .byName(victim, ['Target'])
        .find((h) => h.id.startsWith('target:country:'))?.id;
      if (country) edge(nodeId, 'TARGETS', country, DEFAULT_CONFIDENCE);
    }
  }
  for (const rel of relatedOf(v)) {
    const [other] = builder.resolver.byXid(xid.uuid(rel.dest));
    if (!other) {
      builder.report.unresolved++;
      continue;
    }
    if (other === nodeId) continue;
    switch (rel.type) {
      case 'uses':
      case 'deploys':
        edge(nodeId, 'USES', other, rel.confidence);
        break;
      case 'used-by':
      case 'is-deployed-by':
        edge(other, 'USES', nodeId, rel.confidence);
        break;
      case 'targets':
        edge(nodeId, 'TARGETS', other, rel.confidence);
        break;
      default:
        edge(nodeId, 'RELATED_TO', other, rel.confidence, { relationship: rel.type || 'related' });
    }
  }
}
