import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { type ImportFormat, type ImportOptions, type ImportReport, isObject } from './import-common.js';
import { importCveAttackMappings, importKev } from './kev-import.js';
import { importMispGalaxies } from './misp-import.js';
import { importStixBundle } from './stix-import.js';

/**
 * The files of a public-data folder laid out as `../shared/data` is (the ATT&CK bundle, the MISP
 * galaxies, CISA KEV, the CVE to ATT&CK mappings), in the order a full import reads them.
 */
export function publicDataGraphFiles(dataDir: string): string[] {
  const json = (dir: string) =>
    readdirSync(join(dataDir, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dataDir, dir, f));
  return [
    join(dataDir, 'attack/enterprise-attack.json.gz'),
    ...json('misp-galaxy'),
    join(dataDir, 'kev/known_exploited_vulnerabilities.json'),
    ...json('cve-attack-mappings'),
  ];
}

/** Largest input accepted, after decompression: 256 MiB. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * Reads a JSON file, gzip-compressed or not (by its magic bytes).
 *
 * @throws AppError CS_ERR_INPUT_UNREADABLE when it cannot be read, decompressed or parsed, or is too large.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: MAX_IMPORT_BYTES });
    } catch (cause) {
      throw new AppError(
        'CS_ERR_INPUT_UNREADABLE',
        `Cannot decompress ${path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  if (raw.length > MAX_IMPORT_BYTES) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path} is larger than ${MAX_IMPORT_BYTES} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path} is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Which importer reads a parsed document, or undefined when none does. */
export function detectFormat(doc: unknown): ImportFormat | undefined {
  if (!isObject(doc)) return undefined;
  if (doc.type === 'bundle' && Array.isArray(doc.objects)) return 'stix';
  if (typeof doc.type === 'string' && Array.isArray(doc.values)) return 'misp-galaxy';
  if (Array.isArray(doc.vulnerabilities)) return 'kev';
  if (Array.isArray(doc.mapping_objects)) return 'cve-attack-mappings';
  return undefined;
}

/**
 * Imports files of any supported format (detected from content), in the order
 * that lets links resolve: STIX bundles (ATT&CK first), MISP galaxies together in
 * one pass, then KEV, then CVE mappings. Every file is read and recognised before
 * anything is written.
 *
 * @throws AppError CS_ERR_INPUT_UNREADABLE / CS_ERR_VALIDATION when a file cannot be read or recognised.
 */
export async function importFiles(
  graph: GraphStore,
  paths: readonly string[],
  options: ImportOptions & { format?: Exclude<ImportFormat, 'catalogue'> } = {},
): Promise<ImportReport[]> {
  const docs: { path: string; doc: unknown; format: ImportFormat }[] = [];
  for (const path of paths) {
    const doc = await readJsonFile(path);
    const format = options.format ?? detectFormat(doc);
    if (!format) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `${path} is not a format the graph imports (STIX 2.1 bundle, MISP galaxy, CISA KEV, Mappings Explorer)`,
      );
    }
    docs.push({ path, doc, format });
  }
  const order: Record<ImportFormat, number> = {
    stix: 0,
    'misp-galaxy': 1,
    kev: 2,
    'cve-attack-mappings': 3,
    catalogue: 4,
  };
  const isAttack = (d: unknown) =>
    isObject(d) &&
    Array.isArray(d.objects) &&
    d.objects.some((o) => isObject(o) && o.type === 'x-mitre-tactic');
  docs.sort((a, b) => order[a.format] - order[b.format] || Number(isAttack(b.doc)) - Number(isAttack(a.doc)));
  const reports: ImportReport[] = [];
  const galaxies = docs.filter((d) => d.format === 'misp-galaxy').map((d) => d.doc);
  let galaxiesDone = false;
  for (const { doc, format } of docs) {
    if (format === 'stix') reports.push(await importStixBundle(graph, doc, options));
    else if (format === 'kev') reports.push(await importKev(graph, doc, options));
    else if (format === 'cve-attack-mappings')
      reports.push(await importCveAttackMappings(graph, doc, options));
    else if (!galaxiesDone) {
      galaxiesDone = true;
      reports.push(await importMispGalaxies(graph, galaxies, options));
    }
  }
  await graph.optimize();
  return reports;
}
