import { CVE_ID, TECHNIQUE_ID, targetNodeId, techniqueNodeId, vulnerabilityNodeId, xid } from './ids.js';
import type { BatchBuilder } from './import-common.js';
import { isObject, str, strings } from './import-common.js';
import { indicatorNodeId } from './indicators.js';
import type { NodeInput, NodeType } from './schema.js';
import { indicatorsFromPattern } from './stix-pattern.js';
import { externalId } from './stix-validate.js';

/**
 * Pass 1 of the STIX import: one STIX object to the graph nodes it stands for.
 * ATT&CK objects keep their ATT&CK ids as node keys (`actor:G0007`); other
 * objects are resolved through the alias table, else keyed by their uuid.
 */

/** State shared by the passes of one STIX import. */
export interface StixContext {
  builder: BatchBuilder;
  source: string;
  /** STIX id -> node ids it became (an indicator may become several). */
  nodesOf: Map<string, string[]>;
  /** identity / location objects, turned into Target nodes only when something targets them. */
  targets: Map<string, Record<string, unknown>>;
  /** Kill-chain phases of techniques, linked to tactics in pass 2. */
  phases: { nodeId: string; phases: string[] }[];
  /** Ids of revoked or deprecated objects and of types outside the graph: links to them are dropped silently. */
  withdrawn: Set<string>;
}

const SOFTWARE: readonly NodeType[] = ['Malware', 'Tool'];

function uuidOf(stixId: string): string {
  return stixId.slice(stixId.indexOf('--') + 2).toLowerCase();
}

/**
 * Finds the node an object with an ATT&CK or STIX identity belongs to: its own
 * ids first, then its name (or aliases), but never a node that already carries a
 * different ATT&CK id. Falls back to `fallbackId`.
 */
function resolveId(
  ctx: StixContext,
  types: readonly NodeType[],
  ownXids: string[],
  name: string,
  aliases: string[],
  fallbackId: string,
): { id: string; type: NodeType | undefined } {
  const r = ctx.builder.resolver;
  const found = r.resolve({ types, ownXids, name, aliases });
  if (found) {
    const attack = ownXids.find((x) => x.startsWith('attack:'));
    const theirs = r.xidsOf(found, 'attack:');
    if (!attack || theirs.length === 0 || theirs.includes(attack.toLowerCase())) {
      return { id: found, type: r.typeOf(found) };
    }
  }
  return { id: fallbackId, type: undefined };
}

function add(ctx: StixContext, stixId: string, node: NodeInput): void {
  ctx.builder.addNode(node);
  ctx.nodesOf.set(stixId, [...(ctx.nodesOf.get(stixId) ?? []), node.id]);
}

/**
 * Converts one valid, current STIX object into nodes. Returns false when its
 * type is outside the graph's schema (counted as ignored by the caller).
 */
export function stixObjectToNodes(ctx: StixContext, o: Record<string, unknown>): boolean {
  const stixId = o.id as string;
  const uuid = uuidOf(stixId);
  const name = str(o.name) ?? '';
  const attackId = externalId(o, 'mitre-attack');
  const base = { source: ctx.source, primary: true };
  switch (o.type) {
    case 'attack-pattern': {
      const id =
        attackId && TECHNIQUE_ID.test(attackId) ? techniqueNodeId(attackId) : `technique:stix:${uuid}`;
      const props: Record<string, unknown> = { stixId };
      if (attackId) props.attackId = attackId;
      const xids = [xid.uuid(uuid), ...(attackId ? [xid.attack(attackId)] : [])];
      add(ctx, stixId, { ...base, id, type: 'Technique', name, props, xids });
      const phases = Array.isArray(o.kill_chain_phases)
        ? o.kill_chain_phases.flatMap((p) =>
            isObject(p) && p.kill_chain_name === 'mitre-attack' && typeof p.phase_name === 'string'
              ? [p.phase_name]
              : [],
          )
        : [];
      if (phases.length > 0) ctx.phases.push({ nodeId: id, phases });
      return true;
    }
    case 'x-mitre-tactic': {
      const shortName = str(o.x_mitre_shortname);
      const id = attackId ? `tactic:${attackId}` : `tactic:stix:${uuid}`;
      const xids = [
        xid.uuid(uuid),
        ...(attackId ? [xid.attack(attackId)] : []),
        ...(shortName ? [xid.tactic(shortName)] : []),
      ];
      add(ctx, stixId, { ...base, id, type: 'Tactic', name, props: { attackId, shortName, stixId }, xids });
      return true;
    }
    case 'course-of-action': {
      const id = attackId ? `mitigation:${attackId}` : `mitigation:stix:${uuid}`;
      const xids = [xid.uuid(uuid), ...(attackId ? [xid.attack(attackId)] : [])];
      add(ctx, stixId, { ...base, id, type: 'Mitigation', name, props: { attackId, stixId }, xids });
      return true;
    }
    case 'intrusion-set':
    case 'threat-actor': {
      const aliases = strings(o.aliases).filter((a) => a !== name);
      const own = [xid.uuid(uuid), ...(attackId ? [xid.attack(attackId)] : [])];
      const fallback = attackId ? `actor:${attackId}` : `actor:stix:${uuid}`;
      const { id, type } = resolveId(ctx, ['Actor'], own, name, aliases, fallback);
      const props: Record<string, unknown> = {};
      if (attackId) props.attackId = attackId;
      if (!type) props.stixId = stixId;
      const motivation = str(o.primary_motivation, 64);
      if (motivation) props.motivation = motivation;
      add(ctx, stixId, {
        ...base,
        primary: !type || attackId !== undefined,
        id,
        type: 'Actor',
        name,
        aliases,
        props,
        xids: own,
      });
      return true;
    }
    case 'campaign': {
      const aliases = strings(o.aliases).filter((a) => a !== name);
      const own = [xid.uuid(uuid), ...(attackId ? [xid.attack(attackId)] : [])];
      const fallback = attackId ? `campaign:${attackId}` : `campaign:stix:${uuid}`;
      const { id, type } = resolveId(ctx, ['Campaign'], own, name, aliases, fallback);
      const props: Record<string, unknown> = {
        firstSeen: str(o.first_seen, 40),
        lastSeen: str(o.last_seen, 40),
      };
      if (attackId) props.attackId = attackId;
      if (!type) props.stixId = stixId;
      add(ctx, stixId, { ...base, id, type: 'Campaign', name, aliases, props, xids: own });
      return true;
    }
    case 'malware':
    case 'tool': {
      const aliases = [...strings(o.x_mitre_aliases), ...strings(o.aliases)].filter((a) => a !== name);
      const own = [xid.uuid(uuid), ...(attackId ? [xid.attack(attackId)] : [])];
      const kind: NodeType = o.type === 'malware' ? 'Malware' : 'Tool';
      const fallback = `${kind.toLowerCase()}:${attackId ?? `stix:${uuid}`}`;
      const { id, type } = resolveId(ctx, SOFTWARE, own, name, aliases, fallback);
      const props: Record<string, unknown> = {};
      if (attackId) props.attackId = attackId;
      if (!type) props.stixId = stixId;
      add(ctx, stixId, { ...base, id, type: type ?? kind, name, aliases, props, xids: own });
      return true;
    }
    case 'vulnerability': {
      const cve = externalId(o, 'cve') ?? (CVE_ID.test(name) ? name : undefined);
      const id = (cve && vulnerabilityNodeId(cve)) ?? `vulnerability:stix:${uuid}`;
      const label = cve ? cve.toUpperCase() : name;
      add(ctx, stixId, {
        ...base,
        primary: false,
        id,
        type: 'Vulnerability',
        name: label,
        xids: [xid.uuid(uuid)],
      });
      return true;
    }
    case 'indicator': {
      const refs = indicatorsFromPattern(o.pattern as string);
      const props = { validFrom: str(o.valid_from, 40), stixId };
      if (refs.length === 0) {
        const id = indicatorNodeId('pattern', o.pattern as string);
        if (!id) return false;
        add(ctx, stixId, {
          ...base,
          id,
          type: 'Indicator',
          name: (o.pattern as string).slice(0, 200),
          props: { ...props, kind: 'pattern' },
          xids: [xid.uuid(uuid)],
        });
        return true;
      }
      for (const ref of refs) {
        const id = indicatorNodeId(ref.type, ref.value) as string;
        add(ctx, stixId, {
          ...base,
          id,
          type: 'Indicator',
          name: ref.value.slice(0, 200),
          props: { ...props, kind: ref.type, value: ref.value },
          xids: [xid.uuid(uuid)],
        });
      }
      return true;
    }
    case 'report': {
      const id = `threat:stix:${uuid}`;
      const props = { published: str(o.published, 40), reportTypes: strings(o.report_types, 64), stixId };
      add(ctx, stixId, { ...base, id, type: 'Threat', name, props, xids: [xid.uuid(uuid)] });
      return true;
    }
    case 'identity':
    case 'location':
      ctx.targets.set(stixId, o);
      return true;
    default:
      return false;
  }
}

/** Target nodes for a targeted identity (its sectors, or itself when it is a class) or location (its country). */
export function targetNodesFor(ctx: StixContext, stixId: string): string[] {
  const done = ctx.nodesOf.get(stixId);
  if (done) return done;
  const o = ctx.targets.get(stixId);
  if (!o) return [];
  const ids: string[] = [];
  if (o.type === 'location') {
    const country = str(o.country, 3);
    if (country && /^[A-Za-z]{2}$/.test(country)) {
      const id = targetNodeId('country', country);
      const existing = ctx.builder.resolver.byXid(xid.iso(country), ['Target'])[0];
      const node = existing ?? id;
      ctx.builder.addNode({
        id: node,
        type: 'Target',
        name: str(o.name) ?? country.toUpperCase(),
        props: { kind: 'country', iso2: country.toUpperCase() },
        xids: [xid.iso(country)],
        source: ctx.source,
      });
      ids.push(node);
    }
  } else {
    const sectors = strings(o.sectors, 128);
    if (o.identity_class === 'class' && sectors.length === 0 && typeof o.name === 'string')
      sectors.push(o.name);
    for (const s of sectors) {
      const existing = ctx.builder.resolver.byName(s, ['Target'])[0]?.id;
      const id = existing ?? targetNodeId('sector', s);
      ctx.builder.addNode({ id, type: 'Target', name: s, props: { kind: 'sector' }, source: ctx.source });
      ids.push(id);
    }
  }
  ctx.nodesOf.set(stixId, ids);
  return ids;
}
