import Type, { type Static } from 'typebox';

const CVE_PATTERN = '^CVE-\\d{4}-\\d{4,}$';
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** One CISA KEV entry as CISA publishes it (the fields we use; others are ignored). */
export const CisaKevEntrySchema = Type.Object({
  cveID: Type.String({ pattern: CVE_PATTERN }),
  vendorProject: Type.String(),
  product: Type.String(),
  vulnerabilityName: Type.String(),
  dateAdded: Type.String({ pattern: DATE_PATTERN }),
  dueDate: Type.String({ pattern: DATE_PATTERN }),
  knownRansomwareCampaignUse: Type.String(),
});

/** CISA's `known_exploited_vulnerabilities.json` (fields we use). */
export const CisaKevCatalogSchema = Type.Object({
  catalogVersion: Type.String({ minLength: 1 }),
  dateReleased: Type.String({ minLength: 1 }),
  vulnerabilities: Type.Array(CisaKevEntrySchema),
});

/** CISA's catalogue, validated. */
export type CisaKevCatalog = Static<typeof CisaKevCatalogSchema>;

/** One entry of the derived file. */
export const KevEntrySchema = Type.Object(
  {
    /** CVE id, upper case (`CVE-2021-44228`). */
    cve: Type.String({ pattern: CVE_PATTERN }),
    vendor: Type.String(),
    product: Type.String(),
    /** CISA's short name of the vulnerability. */
    name: Type.String(),
    /** Date CISA added it to the catalogue (YYYY-MM-DD). */
    added: Type.String({ pattern: DATE_PATTERN }),
    /** Remediation due date for US federal agencies under BOD 22-01 (YYYY-MM-DD). */
    due: Type.String({ pattern: DATE_PATTERN }),
    /** CISA knows of use in ransomware campaigns (`knownRansomwareCampaignUse` = Known). */
    ransomware: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** One KEV entry. */
export type KevEntry = Static<typeof KevEntrySchema>;

/**
 * The derived KEV file (`assets/kev.json`), format v1: CISA's catalogue
 * without the prose fields (description, notes, required action), built by
 * `scripts/build-kev.ts`.
 */
export const KevFileSchema = Type.Object(
  {
    format: Type.Literal('cyberstreams-kev'),
    formatVersion: Type.Literal(1),
    /** Where the catalogue came from. */
    source: Type.String(),
    licence: Type.String(),
    /** CISA's `catalogVersion` (e.g. `2025.08.25`). */
    catalogVersion: Type.String({ minLength: 1 }),
    /** CISA's `dateReleased`. */
    dateReleased: Type.String({ minLength: 1 }),
    /** Entries sorted by CVE id. */
    entries: Type.Array(KevEntrySchema),
  },
  { additionalProperties: false },
);

/** The derived KEV file, validated. */
export type KevFile = Static<typeof KevFileSchema>;

/** Converts CISA's catalogue to the derived format (entries sorted by CVE id, one per id). */
export function kevFileFromCisa(catalog: CisaKevCatalog, source: string): KevFile {
  const byCve = new Map<string, KevEntry>();
  for (const v of catalog.vulnerabilities) {
    const cve = v.cveID.toUpperCase();
    if (byCve.has(cve)) continue;
    byCve.set(cve, {
      cve,
      vendor: v.vendorProject,
      product: v.product,
      name: v.vulnerabilityName,
      added: v.dateAdded,
      due: v.dueDate,
      ransomware: v.knownRansomwareCampaignUse.toLowerCase() === 'known',
    });
  }
  return {
    format: 'cyberstreams-kev',
    formatVersion: 1,
    source,
    licence: 'CC0-1.0 (CISA Known Exploited Vulnerabilities catalogue)',
    catalogVersion: catalog.catalogVersion,
    dateReleased: catalog.dateReleased,
    entries: [...byCve.values()].sort((a, b) => compareCve(a.cve, b.cve)),
  };
}

/** Orders CVE ids by year, then number (CVE-2021-9999 before CVE-2021-10000). */
export function compareCve(a: string, b: string): number {
  const [, ya = '', na = ''] = a.split('-');
  const [, yb = '', nb = ''] = b.split('-');
  return Number(ya) - Number(yb) || Number(na) - Number(nb) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The text of a derived KEV file: one entry per line, so a catalogue update
 * shows as a readable diff.
 */
export function serializeKevFile(file: KevFile): string {
  const { entries, ...head } = file;
  const headJson = JSON.stringify(head).slice(0, -1);
  return `${headJson},"entries":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}
