import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Type from 'typebox';
import { AppError, validate } from '../../core/index.js';
import { type ManifestV1, ManifestV1Schema } from './manifest-v1.js';

/** The manifest format version this build writes. */
export const CURRENT_MANIFEST_FORMAT = 1;

/** File name of the manifest inside a model directory. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * A manifest as the running code sees it, whatever format version it was read
 * from. Today it has the shape of format 1; when format 2 comes, old manifests
 * are upgraded into this type and the on-disk schemas stay untouched.
 */
export type ModelManifest = Readonly<ManifestV1>;

const VersionProbe = Type.Object({ formatVersion: Type.Integer() });

/**
 * Checks a parsed `manifest.json` and upgrades it to {@link ModelManifest}.
 * Throws `CS_ERR_MODEL_INCOMPATIBLE` for a format version this build does not
 * know (newer builds wrote it) and `CS_ERR_ARTEFACT_INVALID` for a malformed one.
 */
export function parseManifest(raw: unknown, where = MANIFEST_FILE): ModelManifest {
  const probe = validate(VersionProbe, raw, where, 'CS_ERR_ARTEFACT_INVALID');
  switch (probe.formatVersion) {
    case 1:
      return Object.freeze(validate(ManifestV1Schema, raw, where, 'CS_ERR_ARTEFACT_INVALID'));
    default:
      throw new AppError(
        'CS_ERR_MODEL_INCOMPATIBLE',
        `${where}: manifest format version ${probe.formatVersion} is not supported by this build (it reads 1 to ${CURRENT_MANIFEST_FORMAT})`,
        { details: { formatVersion: probe.formatVersion, supported: [1] } },
      );
  }
}

/** Reads and parses `dir/manifest.json`; unreadable or non-JSON files give `CS_ERR_ARTEFACT_INVALID`. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `No readable model manifest at ${path}`, {
      cause,
      details: { path },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${path} is not valid JSON`, { cause, details: { path } });
  }
  return parseManifest(raw, path);
}
