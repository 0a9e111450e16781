import { createHash } from 'node:crypto';
import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { type IndicatorKind, isIndicatorKind } from './indicators.js';
import type { GraphEdge, GraphNode } from './schema.js';
import { patternFor } from './stix-pattern.js';
import { isStixId } from './stix-validate.js';

/**
 * Exports a node (typically a threat) and its neighbourhood as a STIX 2.1
 * bundle. Threats become reports whose `object_refs` hold what they contain,
 * use and are attributed to; other edges become relationships. Objects keep
 * their original STIX id (ATT&CK's, a feed's) when the graph has it, else get a
 * deterministic UUIDv5 id from the node id, so exporting twice gives the same ids.
 * Objects derived from ATT&CK carry a marking with MITRE's copyright notice.
 */

/** Namespace of our UUIDv5 ids (a fixed random UUID). */
const NAMESPACE = '3c8e8f0a-5b7e-4c3b-9f2e-8d6a1c4e7b90';
/** MITRE's notice, required on copies of ATT&CK content. */
export const MITRE_NOTICE =
  '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.';

/** RFC 4122 version 5 UUID of `name` in {@link NAMESPACE}. */
export function uuidV5(name: string): string {
  const ns = Buffer.from(NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type StixObject = Record<string, unknown> & { type: string; id: string };

const MARKING_ID = `marking-definition--${uuidV5('mitre-attack-notice')}`;

/** STIX timestamps have millisecond precision and a Z. */
function ts(iso: string | undefined, fallback: string): string {
  const d = new Date(iso ?? fallback);
  return Number.isNaN(d.getTime()) ? new Date(fallback).toISOString() : d.toISOString();
}

function stixType(node: GraphNode): string | undefined {
  switch (node.type) {
    case 'Threat':
      return 'report';
    case 'Technique':
      return 'attack-pattern';
    case 'Actor':
      return 'intrusion-set';
    case 'Campaign':
      return 'campaign';
    case 'Malware':
      return 'malware';
    case 'Tool':
      return 'tool';
    case 'Vulnerability':
      return 'vulnerability';
    case 'Mitigation':
      return 'course-of-action';
    case 'Indicator':
      return 'indicator';
    case 'Target':
      return node.props.kind === 'country' ? 'location' : 'identity';
    default:
      // Tactics are exported as kill_chain_phases of their techniques.
      return undefined;
  }
}

function stixIdOf(node: GraphNode, type: string): string {
  const given = node.props.stixId;
  return isStixId(given, type) ? given : `${type}--${uuidV5(node.id)}`;
}

function relationshipType(e: GraphEdge): string {
  switch (e.type) {
    case 'USES':
      return 'uses';
    case 'TARGETS':
    case 'EXPLOITS':
      return 'targets';
    case 'MITIGATES':
      return 'mitigates';
    case 'SUBTECHNIQUE_OF':
      return 'subtechnique-of';
    case 'ATTRIBUTED_TO':
    case 'CONDUCTS':
      return 'attributed-to';
    default: {
      const r = e.props.relationship;
      return typeof r === 'string' && /^[a-z][a-z0-9-]{0,49}$/.test(r) ? r : 'related-to';
    }
  }
}

interface Context {
  now: string;
  aliases: Map<string, string[]>;
  phases: Map<string, string[]>;
  attack: boolean;
}

function toStix(node: GraphNode, ctx: Context): StixObject | undefined {
  const type = stixType(node);
  if (!type) return undefined;
  const o: StixObject = {
    type,
    spec_version: '2.1',
    id: stixIdOf(node, type),
    created: ts(node.createdAt, ctx.now),
    modified: ts(node.updatedAt, ctx.now),
  };
  const aliases = (ctx.aliases.get(node.id) ?? []).filter((a) => a !== node.name);
  const attackId = typeof node.props.attackId === 'string' ? node.props.attackId : undefined;
  const attackRef = (kind: string) =>
    attackId
      ? [
          {
            source_name: 'mitre-attack',
            external_id: attackId,
            url: `https://attack.mitre.org/${kind}/${attackId.replace('.', '/')}`,
          },
        ]
      : undefined;
  switch (type) {
    case 'report':
      Object.assign(o, { name: node.name, report_types: ['threat-report'] });
      o.published = ts(String(node.props.observedAt ?? node.props.published ?? node.createdAt), ctx.now);
      if (typeof node.props.severity === 'string') o.x_cyberstreams_severity = node.props.severity;
      break;
    case 'attack-pattern': {
      o.name = node.name;
      const ref = attackRef('techniques');
      if (ref) o.external_references = ref;
      const phases = ctx.phases.get(node.id);
      if (phases?.length)
        o.kill_chain_phases = phases.map((p) => ({ kill_chain_name: 'mitre-attack', phase_name: p }));
      break;
    }
    case 'intrusion-set':
    case 'campaign':
    case 'tool':
      o.name = node.name;
      if (aliases.length) o.aliases = aliases;
      if (attackRef(type === 'campaign' ? 'campaigns' : type === 'tool' ? 'software' : 'groups')) {
        o.external_references = attackRef(
          type === 'campaign' ? 'campaigns' : type === 'tool' ? 'software' : 'groups',
        );
      }
      break;
    case 'malware':
      Object.assign(o, { name: node.name, is_family: true });
      if (aliases.length) o.aliases = aliases;
      if (attackId) o.external_references = attackRef('software');
      break;
    case 'course-of-action':
      o.name = node.name;
      if (attackId) o.external_references = attackRef('mitigations');
      break;
    case 'vulnerability':
      o.name = node.name;
      if (/^CVE-/.test(node.name)) o.external_references = [{ source_name: 'cve', external_id: node.name }];
      if (node.props.kev) o.x_cyberstreams_kev = node.props.kev;
      break;
    case 'indicator': {
      const kind = String(node.props.kind ?? '');
      const value = String(node.props.value ?? node.name);
      const pattern = isIndicatorKind(kind)
        ? patternFor({
            type: kind as IndicatorKind,
            value: kind === 'pattern' ? node.id.slice('indicator:pattern:'.length) : value,
          })
        : undefined;
      if (!pattern) return undefined;
      Object.assign(o, {
        name: node.name,
        pattern,
        pattern_type: 'stix',
        valid_from: ts(String(node.props.validFrom ?? node.createdAt), ctx.now),
      });
      break;
    }
    case 'identity':
      Object.assign(o, {
        name: node.name,
        identity_class: 'class',
        sectors: [node.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')],
      });
      break;
    case 'location':
      Object.assign(o, {
        name: node.name,
        country: String(node.props.iso2 ?? node.id.slice('target:country:'.length)),
      });
      break;
  }
  if (node.sources.includes('attack')) {
    ctx.attack = true;
    o.object_marking_refs = [MARKING_ID];
  }
  return o;
}

/** Options of {@link exportStixBundle}. */
export interface StixExportOptions {
  /** Hops around the node, 1..3. Default 1. */
  depth?: number;
  /** Most nodes besides the start, 1..5000. Default 500. */
  maxNodes?: number;
  /** Time used for objects without timestamps, ISO 8601. Default now. */
  now?: string;
}

/**
 * A STIX 2.1 bundle of `nodeId` and its neighbourhood.
 *
 * @throws AppError CS_ERR_NOT_FOUND when the node does not exist; CS_ERR_VALIDATION for bad options.
 */
export async function exportStixBundle(
  graph: GraphStore,
  nodeId: string,
  options: StixExportOptions = {},
): Promise<{ type: 'bundle'; id: string; objects: StixObject[] }> {
  const depth = options.depth ?? 1;
  const maxNodes = options.maxNodes ?? 500;
  if (!Number.isInteger(depth) || depth < 1 || depth > 3)
    throw new AppError('CS_ERR_VALIDATION', 'depth must be 1, 2 or 3');
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > 5000)
    throw new AppError('CS_ERR_VALIDATION', 'maxNodes must be from 1 to 5000');
  const start = await graph.getNode(nodeId);
  if (!start) throw new AppError('CS_ERR_NOT_FOUND', `No graph node ${nodeId}`, { details: { id: nodeId } });
  const hood = await graph.neighbours(nodeId, { depth, limit: maxNodes });
  const nodes = [start, ...hood.neighbours.map((n) => n.node)];
  const ids = new Set(nodes.map((n) => n.id));
  const edges = (await graph.edges({ nodeIds: [...ids] })).filter((e) => ids.has(e.src) && ids.has(e.dst));
  const techniques = nodes.filter((n) => n.type === 'Technique').map((n) => n.id);
  const tacticEdges = await graph.edges({ nodeIds: techniques, direction: 'out', edgeTypes: ['IN_TACTIC'] });
  const tactics = new Map(
    (await graph.getNodes([...new Set(tacticEdges.map((e) => e.dst))])).map((t) => [t.id, t]),
  );
  const phases = new Map<string, string[]>();
  for (const e of tacticEdges) {
    const short = tactics.get(e.dst)?.props.shortName;
    if (typeof short === 'string') phases.set(e.src, [...(phases.get(e.src) ?? []), short]);
  }
  const aliases = new Map<string, string[]>();
  for (const a of await graph.aliasesOf([...ids])) {
    if (a.kind !== 'xid') aliases.set(a.nodeId, [...new Set([...(aliases.get(a.nodeId) ?? []), a.value])]);
  }
  const now = options.now ?? new Date().toISOString();
  const ctx: Context = { now, aliases, phases, attack: false };
  const stix = new Map<string, StixObject>();
  for (const n of nodes) {
    const o = toStix(n, ctx);
    if (o) stix.set(n.id, o);
  }
  const relationships = new Map<string, StixObject>();
  const refs = new Map<string, Set<string>>();
  for (const e of edges) {
    const src = stix.get(e.src);
    const dst = stix.get(e.dst);
    if (!src || !dst || e.type === 'IN_TACTIC') continue;
    if (src.type === 'report') {
      refs.set(src.id, (refs.get(src.id) ?? new Set()).add(dst.id));
      continue;
    }
    // CONDUCTS is the inverse of a campaign's attribution: export it the STIX way round.
    const [from, to] = e.type === 'CONDUCTS' ? [dst, src] : [src, dst];
    const rel = relationshipType(e);
    const id = `relationship--${uuidV5(`${from.id}|${rel}|${to.id}`)}`;
    const existing = relationships.get(id);
    const confidence = Math.round(e.confidence * 100);
    if (existing && Number(existing.confidence) >= confidence) continue;
    relationships.set(id, {
      type: 'relationship',
      spec_version: '2.1',
      id,
      created: ts(e.updatedAt, now),
      modified: ts(e.updatedAt, now),
      relationship_type: rel,
      source_ref: from.id,
      target_ref: to.id,
      confidence,
      x_cyberstreams_source: e.source,
    });
  }
  for (const o of stix.values()) {
    if (o.type !== 'report') continue;
    const own = [...(refs.get(o.id) ?? [])].sort();
    // object_refs must not be empty; a threat linked to nothing exportable refers to itself.
    o.object_refs = own.length > 0 ? own : [o.id];
  }
  const objects: StixObject[] = [...stix.values(), ...relationships.values()];
  if (ctx.attack) {
    objects.unshift({
      type: 'marking-definition',
      spec_version: '2.1',
      id: MARKING_ID,
      created: '2017-06-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: MITRE_NOTICE },
    });
  }
  return { type: 'bundle', id: `bundle--${uuidV5(`${nodeId}|${depth}|${now}`)}`, objects };
}
