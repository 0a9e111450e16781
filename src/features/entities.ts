import { countIndicators, type Extraction, type IndicatorType } from '../extract/index.js';
import { logScale, type SlotDefinition } from './slot.js';

/** Count at which an entity slot reads 1 (log scale). */
const FULL = 100;
const LOG = `ln(1+n)/ln(1+${FULL}) of the unique values, capped at 2`;

type EntityGroup = SlotDefinition & { types: readonly IndicatorType[] };

const group = (name: string, description: string, types: readonly IndicatorType[]): EntityGroup => ({
  name,
  description,
  types,
  range: [0, 2],
  normalisation: LOG,
});

/** The entity-count groups (slots 65-73), in order, with the indicator types each one sums. */
const ENTITY_GROUPS: readonly EntityGroup[] = [
  group('ent.ip_addresses', 'Unique IPv4 and IPv6 addresses and CIDR ranges.', ['ipv4', 'ipv6', 'cidr']),
  group('ent.domains', 'Unique domain names.', ['domain']),
  group('ent.urls', 'Unique URLs.', ['url']),
  group('ent.emails', 'Unique e-mail addresses.', ['email']),
  group('ent.cves', 'Unique CVE ids.', ['cve']),
  group('ent.file_hashes', 'Unique MD5, SHA-1, SHA-256 and SHA-512 hashes.', [
    'md5',
    'sha1',
    'sha256',
    'sha512',
  ]),
  group('ent.attack_ids', 'Unique ATT&CK ids (techniques, tactics, groups, software).', ['attackId']),
  group('ent.host_artefacts', 'Unique file paths and Windows registry keys.', ['filePath', 'registryKey']),
  group('ent.other_indicators', 'Unique ASNs, MAC addresses and Bitcoin addresses.', [
    'asn',
    'mac',
    'bitcoinAddress',
  ]),
];

/** The entity-count family's slots (65-74), in order. */
export const ENTITY_SLOTS: readonly SlotDefinition[] = Object.freeze([
  ...ENTITY_GROUPS.map(({ types: _types, ...slot }) => slot),
  {
    name: 'ent.warninglisted_share',
    description:
      'Share of indicator occurrences that matched a MISP warninglist (known-benign noise such as public DNS or top sites); 0 without indicators.',
    range: [0, 1],
    normalisation: 'flagged matches / matches',
  },
]);

/** Writes the entity slots for `extraction` into `out` from `offset`. */
export function writeEntities(extraction: Extraction, out: Float32Array, offset: number): void {
  const counts = countIndicators(extraction);
  ENTITY_GROUPS.forEach((group, k) => {
    let n = 0;
    for (const type of group.types) n += counts[type];
    out[offset + k] = logScale(n, FULL);
  });
  const matches = extraction.matches;
  let flagged = 0;
  for (const m of matches) if (m.warninglists.length > 0) flagged++;
  out[offset + ENTITY_GROUPS.length] = matches.length === 0 ? 0 : flagged / matches.length;
}
