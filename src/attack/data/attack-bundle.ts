import Type from 'typebox';
import { validate } from '../../core/index.js';
import { isTechniqueId } from '../technique-id.js';
import { readJsonFile } from './read-json.js';

/**
 * Reader of the MITRE ATT&CK Enterprise STIX 2.1 bundle: technique names and descriptions,
 * and procedure examples (the descriptions of `uses` relationships that target a technique).
 */

const BundleSchema = Type.Object({
  type: Type.Literal('bundle'),
  objects: Type.Array(
    Type.Object({
      type: Type.String(),
      id: Type.String(),
      name: Type.Optional(Type.String()),
      revoked: Type.Optional(Type.Boolean()),
      x_mitre_deprecated: Type.Optional(Type.Boolean()),
      relationship_type: Type.Optional(Type.String()),
      source_ref: Type.Optional(Type.String()),
      target_ref: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      external_references: Type.Optional(
        Type.Array(Type.Object({ source_name: Type.String(), external_id: Type.Optional(Type.String()) })),
      ),
    }),
  ),
});

/** A procedure example: what a group, software or campaign did, tied to one technique. */
export interface ProcedureExample {
  text: string;
  technique: string;
}

/** What the training needs from the bundle. */
export interface AttackCatalogue {
  /** Technique id -> name, for current (not revoked, not deprecated) techniques. */
  names: Map<string, string>;
  /** Technique id -> name with "(revoked)" or "(deprecated)", for ids that no current technique has. */
  staleNames: Map<string, string>;
  procedures: ProcedureExample[];
  /** The description of each current technique (cleaned), as one text per technique. */
  descriptions: ProcedureExample[];
}

/**
 * Removes ATT&CK markup from a description: `(Citation: ...)` markers, markdown
 * links (keeping their text), HTML tags and backticks; collapses white space.
 */
export function cleanAttackText(description: string): string {
  return description
    .replace(/\(Citation:[^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads `enterprise-attack.json(.gz)`. Relationships touching revoked or deprecated objects are skipped. */
export function readAttackCatalogue(path: string): AttackCatalogue {
  const bundle = validate(BundleSchema, readJsonFile(path), path, 'CS_ERR_ARTEFACT_INVALID');
  const stale = new Set<string>();
  const techniqueByStixId = new Map<string, string>();
  const names = new Map<string, string>();
  const descriptions: ProcedureExample[] = [];
  const staleNames = new Map<string, string>();
  for (const o of bundle.objects) {
    const ref =
      o.type === 'attack-pattern'
        ? o.external_references?.find((r) => r.source_name === 'mitre-attack')
        : undefined;
    if (o.revoked === true || o.x_mitre_deprecated === true) {
      stale.add(o.id);
      // TRAM's labels predate some revocations: keep the old name so the label can still be shown.
      if (ref?.external_id !== undefined && o.name !== undefined) {
        staleNames.set(ref.external_id, `${o.name} (${o.revoked === true ? 'revoked' : 'deprecated'})`);
      }
      continue;
    }
    if (ref?.external_id === undefined || !isTechniqueId(ref.external_id)) continue;
    techniqueByStixId.set(o.id, ref.external_id);
    if (o.name !== undefined) names.set(ref.external_id, o.name);
    const description = o.description === undefined ? '' : cleanAttackText(o.description);
    if (description !== '') descriptions.push({ text: description, technique: ref.external_id });
  }
  const procedures: ProcedureExample[] = [];
  for (const o of bundle.objects) {
    if (o.type !== 'relationship' || o.relationship_type !== 'uses' || stale.has(o.id)) continue;
    if (o.source_ref === undefined || o.target_ref === undefined || stale.has(o.source_ref)) continue;
    const technique = techniqueByStixId.get(o.target_ref);
    if (technique === undefined || o.description === undefined) continue;
    const text = cleanAttackText(o.description);
    if (text !== '') procedures.push({ text, technique });
  }
  for (const id of names.keys()) staleNames.delete(id);
  return { names, staleNames, procedures, descriptions };
}
