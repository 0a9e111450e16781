import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultAssetsDir } from '../assets/index.js';
import { AppError, validate } from '../core/index.js';
import { type KevEntry, type KevFile, KevFileSchema } from './kev-format.js';

/** File name of the derived KEV catalogue inside `assets/` (built by `npm run build:kev`). */
export const KEV_FILE = 'kev.json';

/** Answers "is this CVE known to be exploited?". {@link KevCatalogue} is the shipped one; tests may pass a fake. */
export interface KevLookup {
  /** The entry of `cveId` (any case), or undefined when the CVE is not in the catalogue. */
  get(cveId: string): KevEntry | undefined;
  /** The catalogue's version (CISA's `catalogVersion`), cited in recommendation reasons. */
  readonly catalogVersion: string;
}

/** The CISA KEV catalogue in memory, indexed by CVE id. Immutable. */
export class KevCatalogue implements KevLookup {
  readonly catalogVersion: string;
  readonly dateReleased: string;
  readonly #byCve: ReadonlyMap<string, KevEntry>;

  constructor(file: KevFile) {
    this.catalogVersion = file.catalogVersion;
    this.dateReleased = file.dateReleased;
    this.#byCve = new Map(file.entries.map((e) => [e.cve, Object.freeze({ ...e })]));
  }

  /** Number of CVEs in the catalogue. */
  get size(): number {
    return this.#byCve.size;
  }

  get(cveId: string): KevEntry | undefined {
    return this.#byCve.get(cveId.trim().toUpperCase());
  }
}

/** Default location of the shipped KEV file. */
export function defaultKevPath(): string {
  return join(defaultAssetsDir(), KEV_FILE);
}

/** Validates a parsed derived KEV file and builds the catalogue. Throws CS_ERR_ARTEFACT_INVALID naming the fields. */
export function parseKevFile(value: unknown, where: string): KevCatalogue {
  return new KevCatalogue(validate(KevFileSchema, value, `KEV file ${where}`, 'CS_ERR_ARTEFACT_INVALID'));
}

/**
 * Reads the derived KEV file (default: the shipped `assets/kev.json`).
 * Errors: CS_ERR_ASSET_MISSING when it does not exist, CS_ERR_ARTEFACT_INVALID
 * when it is not JSON or not in the format.
 */
export async function loadKevCatalogue(path: string = defaultKevPath()): Promise<KevCatalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError(
      missing ? 'CS_ERR_ASSET_MISSING' : 'CS_ERR_ARTEFACT_INVALID',
      missing
        ? `KEV file ${path} does not exist (build it with: npm run build:kev)`
        : `KEV file ${path} cannot be read`,
      { cause: err, details: { path } },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `KEV file ${path} is not valid JSON`, {
      cause: err,
      details: { path },
    });
  }
  return parseKevFile(parsed, path);
}
