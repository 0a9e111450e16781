import { normaliseName } from './normalise.js';

/**
 * Node ids and external identifiers. A node id is `<type in lower case>:<key>`.
 * Where the data gives a public identifier (ATT&CK id, CVE id, ISO code, indicator value)
 * the key is that identifier, so two sources naming the same thing land on the same
 * node whatever order they are imported in.
 */

/** ATT&CK technique id, e.g. `T1059` or `T1059.001`. */
export const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;
/** CVE id (case-insensitive on input, stored upper case). */
export const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const ATTACK_GROUP_ID = /^G\d{4}$/;

/** `technique:T1059.001`. Throws nothing: callers check {@link TECHNIQUE_ID} first. */
export function techniqueNodeId(techniqueId: string): string {
  return `technique:${techniqueId}`;
}

/** The parent of a sub-technique (`T1059.001` -> `T1059`), or undefined for a technique. */
export function parentTechniqueId(techniqueId: string): string | undefined {
  const dot = techniqueId.indexOf('.');
  return dot > 0 ? techniqueId.slice(0, dot) : undefined;
}

/** The ATT&CK id of a technique node id, or undefined when `nodeId` is not one. */
export function techniqueIdOf(nodeId: string): string | undefined {
  if (!nodeId.startsWith('technique:')) return undefined;
  const id = nodeId.slice('technique:'.length);
  return TECHNIQUE_ID.test(id) ? id : undefined;
}

/** `vulnerability:CVE-2021-44228`, or undefined when `cve` is not a CVE id. */
export function vulnerabilityNodeId(cve: string): string | undefined {
  const id = cve.trim();
  return CVE_ID.test(id) ? `vulnerability:${id.toUpperCase()}` : undefined;
}

/** `threat:<predictionId>`. */
export function threatNodeId(predictionId: string): string {
  return `threat:${predictionId}`;
}

/** `target:sector:<normalised name>` or `target:country:<ISO 3166-1 alpha-2>`. */
export function targetNodeId(kind: 'sector' | 'country', key: string): string {
  return kind === 'country' ? `target:country:${key.toUpperCase()}` : `target:sector:${normaliseName(key)}`;
}

/** True for an ATT&CK group id (`G0007`). */
export function isAttackGroupId(value: string): boolean {
  return ATTACK_GROUP_ID.test(value);
}

/** External identifier builders (stored in the alias table as kind `xid`). */
export const xid = Object.freeze({
  /** An ATT&CK id: `attack:G0007`, `attack:T1059`, `attack:TA0002`, `attack:S0061`. */
  attack: (id: string) => `attack:${id}`,
  /** A STIX or MISP uuid (the uuid part only; ATT&CK and MISP share them). */
  uuid: (uuid: string) => `uuid:${uuid.toLowerCase()}`,
  /** An ATT&CK tactic short name (`execution`), as `kill_chain_phases` give it. */
  tactic: (shortName: string) => `tactic:${shortName.toLowerCase()}`,
  /** An ISO 3166-1 alpha-2 or alpha-3 country code. */
  iso: (code: string) => `iso:${code.toUpperCase()}`,
});

/** The uuid part of a STIX id (`intrusion-set--<uuid>`), or undefined. */
export function stixUuid(stixId: string): string | undefined {
  const m = /^[a-z0-9-]+--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(stixId);
  return m?.[1]?.toLowerCase();
}
