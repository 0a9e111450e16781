import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { readAttackCatalogue } from './attack-bundle.js';
import { buildCorpus, type TechniqueCorpus } from './corpus.js';
import { readAnnotatedReports, readBootstrap, readSingleLabel } from './tram.js';

/**
 * Locates and reads the public training data under the shared data folder, and
 * caches the built corpus (keyed by the input files' hashes) so that repeated
 * training runs skip the parsing.
 */

/** The input files, relative to the data folder. */
export const TECHNIQUE_DATA_FILES = Object.freeze({
  singleLabel: 'tram/single_label.json.gz',
  bootstrap: 'tram/bootstrap-training-data.json.gz',
  reports: 'tram/annotated-reports.jsonl.gz',
  attack: 'attack/enterprise-attack.json.gz',
});

/** An input file and its hash. */
export interface DataFileHash {
  name: string;
  sha256: string;
  bytes: number;
}

// Bump when buildCorpus changes what it produces, so stale caches are not reused.
const CORPUS_CACHE_VERSION = 3;

/** Hashes the input files; throws CS_ERR_INPUT_UNREADABLE naming a missing one. */
export function hashDataFiles(dataDir: string): { files: DataFileHash[]; sha256: string } {
  const files = Object.values(TECHNIQUE_DATA_FILES).map((name) => {
    const path = join(dataDir, name);
    try {
      const bytes = readFileSync(path);
      return { name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: statSync(path).size };
    } catch (cause) {
      throw new AppError('CS_ERR_INPUT_UNREADABLE', `Training data file ${path} is missing or unreadable`, {
        cause,
        details: { path },
      });
    }
  });
  const all = createHash('sha256');
  for (const f of files) all.update(`${f.name}\u0000${f.sha256}\n`);
  return { files, sha256: all.digest('hex') };
}

/**
 * Builds the corpus from `dataDir`. With `cacheDir`, a corpus built from the same input
 * hashes is read from there, and a new one is written there.
 */
export function loadTechniqueCorpus(dataDir: string, dataSha256: string, cacheDir?: string): TechniqueCorpus {
  const cacheFile =
    cacheDir === undefined
      ? undefined
      : join(cacheDir, `corpus-v${CORPUS_CACHE_VERSION}-${dataSha256.slice(0, 16)}.json`);
  if (cacheFile !== undefined && existsSync(cacheFile)) {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as TechniqueCorpus;
  }
  const corpus = buildCorpus({
    singleLabel: readSingleLabel(join(dataDir, TECHNIQUE_DATA_FILES.singleLabel)),
    bootstrap: readBootstrap(join(dataDir, TECHNIQUE_DATA_FILES.bootstrap)),
    reports: readAnnotatedReports(join(dataDir, TECHNIQUE_DATA_FILES.reports)),
    catalogue: readAttackCatalogue(join(dataDir, TECHNIQUE_DATA_FILES.attack)),
  });
  if (cacheFile !== undefined && cacheDir !== undefined) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(corpus));
  }
  return corpus;
}
