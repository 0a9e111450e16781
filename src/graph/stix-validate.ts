import { isObject } from './import-common.js';

/**
 * STIX 2.1 checks: a lenient one for objects we import (what we need to use
 * them) and a strict one for bundles we export (the spec's required properties
 * and that every reference resolves inside the bundle).
 */

const ID = /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** SDO types that must carry a `name` (STIX 2.1 section 4, and the ATT&CK extension types we read). */
const NAMED = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'identity',
  'intrusion-set',
  'malware',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
  'x-mitre-tactic',
]);

/** True when `id` is a well-formed STIX id (`type--uuid`), optionally of the given type. */
export function isStixId(id: unknown, type?: string): id is string {
  if (typeof id !== 'string') return false;
  const m = ID.exec(id);
  return m !== null && (type === undefined || m[1] === type);
}

/** Why an incoming STIX object cannot be imported, or undefined when it can. */
export function stixImportProblem(o: unknown): string | undefined {
  if (!isObject(o)) return 'not an object';
  if (typeof o.type !== 'string' || o.type.length === 0) return 'no type';
  if (!isStixId(o.id, o.type)) return `id ${JSON.stringify(o.id)} is not a ${o.type}--<uuid>`;
  if (NAMED.has(o.type) && (typeof o.name !== 'string' || o.name.trim().length === 0)) return 'no name';
  switch (o.type) {
    case 'indicator':
      return typeof o.pattern === 'string' && o.pattern.length > 0 ? undefined : 'no pattern';
    case 'relationship':
      if (typeof o.relationship_type !== 'string' || o.relationship_type.length === 0)
        return 'no relationship_type';
      if (!isStixId(o.source_ref) || !isStixId(o.target_ref))
        return 'source_ref or target_ref is not a STIX id';
      return undefined;
    case 'report':
      return Array.isArray(o.object_refs) ? undefined : 'no object_refs';
    default:
      return undefined;
  }
}

/** Required properties per exported type, beyond the common ones. */
const REQUIRED: Record<string, readonly string[]> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  identity: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  'intrusion-set': ['name'],
  location: [],
  malware: ['is_family'],
  'marking-definition': ['definition_type', 'definition'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  report: ['name', 'published', 'object_refs'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
};

/**
 * Problems with a bundle we produce: bundle shape, per object `type`, `spec_version` 2.1,
 * `id` of its type, `created`/`modified` timestamps, the type's required properties,
 * and references (`source_ref`, `target_ref`, `object_refs`) that resolve in the bundle.
 * Empty when the bundle is valid.
 */
export function stixBundleProblems(bundle: unknown): string[] {
  if (!isObject(bundle)) return ['bundle is not an object'];
  const problems: string[] = [];
  if (bundle.type !== 'bundle') problems.push('bundle.type is not "bundle"');
  if (!isStixId(bundle.id, 'bundle')) problems.push('bundle.id is not bundle--<uuid>');
  if (!Array.isArray(bundle.objects)) return [...problems, 'bundle.objects is not an array'];
  const ids = new Set<string>();
  for (const o of bundle.objects) if (isObject(o) && typeof o.id === 'string') ids.add(o.id);
  bundle.objects.forEach((o: unknown, i) => {
    const at = `objects[${i}]`;
    if (!isObject(o)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const type = String(o.type);
    if (!isStixId(o.id, type)) problems.push(`${at}.id ${String(o.id)} is not ${type}--<uuid>`);
    if (o.spec_version !== '2.1') problems.push(`${at}.spec_version is not 2.1`);
    // Marking definitions are immutable and have no `modified`.
    for (const t of type === 'marking-definition' ? ['created'] : ['created', 'modified']) {
      if (typeof o[t] !== 'string' || !TIMESTAMP.test(o[t] as string))
        problems.push(`${at}.${t} is not a timestamp`);
    }
    const required = REQUIRED[type];
    if (!required) problems.push(`${at}.type ${type} is not one we export`);
    for (const p of required ?? []) if (o[p] === undefined || o[p] === '') problems.push(`${at} lacks ${p}`);
    if (type === 'malware' && o.is_family === true && typeof o.name !== 'string')
      problems.push(`${at} family lacks name`);
    if (type === 'location' && o.country === undefined && o.region === undefined)
      problems.push(`${at} lacks country`);
    if (type === 'indicator' && o.pattern_type === 'stix' && !/^\[.*\]$/.test(String(o.pattern))) {
      problems.push(`${at}.pattern is not a bracketed STIX pattern`);
    }
    if (o.object_marking_refs !== undefined) {
      for (const r of Array.isArray(o.object_marking_refs)
        ? o.object_marking_refs
        : [o.object_marking_refs]) {
        if (!ids.has(r as string)) problems.push(`${at}.object_marking_refs ${String(r)} does not resolve`);
      }
    }
    for (const ref of ['source_ref', 'target_ref']) {
      if (o[ref] !== undefined && !ids.has(o[ref] as string)) problems.push(`${at}.${ref} does not resolve`);
    }
    if (o.object_refs !== undefined) {
      if (!Array.isArray(o.object_refs) || o.object_refs.length === 0)
        problems.push(`${at}.object_refs is empty`);
      else
        for (const r of o.object_refs)
          if (!ids.has(r as string)) problems.push(`${at}.object_refs ${String(r)} does not resolve`);
    }
  });
  return problems;
}

/** External id of a given source in `external_references` (e.g. `mitre-attack` -> `T1059`). */
export function externalId(o: Record<string, unknown>, sourceName: string): string | undefined {
  if (!Array.isArray(o.external_references)) return undefined;
  for (const r of o.external_references) {
    if (isObject(r) && r.source_name === sourceName && typeof r.external_id === 'string')
      return r.external_id.trim();
  }
  return undefined;
}
