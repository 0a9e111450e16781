import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Compile } from 'typebox/compile';
import { AppError, validate } from '../core/index.js';
import { type WarninglistFile, WarninglistFileSchema, WarninglistIndex } from '../extract/index.js';
import { defaultAssetsDir } from './paths.js';

/** File name of the derived warninglist file inside `assets/` (built by `npm run build:warninglists`). */
export const WARNINGLISTS_FILE = 'warninglists.json.gz';

/**
 * Compiled check of the file format: the shipped file has ~400k values, which
 * the interpreted `validate()` takes close to a second to walk; the compiled
 * check takes milliseconds. `validate()` still produces the error message.
 */
let compiledCheck: ((value: unknown) => boolean) | undefined;

/** Default location of the shipped warninglist file. */
export function defaultWarninglistsPath(): string {
  return join(defaultAssetsDir(), WARNINGLISTS_FILE);
}

/**
 * Reads and validates a derived warninglist file (gzip-compressed JSON, or
 * plain JSON when the name does not end in `.gz`).
 *
 * Errors: `CS_ERR_ASSET_MISSING` when the file does not exist,
 * `CS_ERR_ARTEFACT_INVALID` when it is not gzip/JSON or does not match the
 * format (the message names the offending fields).
 */
export async function loadWarninglistFile(
  path: string = defaultWarninglistsPath(),
): Promise<WarninglistFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError(
        'CS_ERR_ASSET_MISSING',
        `Warninglist file ${path} does not exist (build it with: npm run build:warninglists)`,
        { cause: err, details: { path } },
      );
    }
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `Warninglist file ${path} cannot be read`, {
      cause: err,
      details: { path },
    });
  }
  let parsed: unknown;
  try {
    const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppError(
      'CS_ERR_ARTEFACT_INVALID',
      `Warninglist file ${path} is not valid gzip-compressed JSON`,
      {
        cause: err,
        details: { path },
      },
    );
  }
  if (compiledCheck === undefined) {
    const compiled = Compile(WarninglistFileSchema);
    compiledCheck = (value) => compiled.Check(value);
  }
  if (compiledCheck(parsed)) return parsed as WarninglistFile;
  return validate(WarninglistFileSchema, parsed, `Warninglist file ${path}`, 'CS_ERR_ARTEFACT_INVALID');
}

/**
 * Loads the derived warninglist file and builds the matching index for
 * `extractIndicators(text, { warninglists })`. The shipped file takes about
 * a second and ~150 MB of heap to index: load it once per process.
 */
export async function loadWarninglistIndex(
  path: string = defaultWarninglistsPath(),
): Promise<WarninglistIndex> {
  return WarninglistIndex.build(await loadWarninglistFile(path));
}
