import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, validate } from '../../core/index.js';
import { MANIFEST_FILE, type ModelManifest } from './manifest.js';
import { ManifestV1Schema } from './manifest-v1.js';

/**
 * Writes a model directory: every file, then `manifest.json` last (through a
 * temporary name and a rename), so a directory with a manifest is complete.
 * The manifest is validated against the current format before anything is written.
 */
export async function writeModelDir(
  dir: string,
  manifest: ModelManifest,
  files: Readonly<Record<string, Buffer | string>>,
): Promise<void> {
  validate(ManifestV1Schema, manifest, 'manifest to write', 'CS_ERR_INTERNAL');
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, join(dir, MANIFEST_FILE));
}

/** Reads a file the manifest lists under `role`; a missing role or file gives `CS_ERR_ARTEFACT_INVALID`. */
export async function readModelFile(dir: string, manifest: ModelManifest, role: string): Promise<Buffer> {
  const name = manifest.files[role];
  if (name === undefined) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${dir}: manifest lists no "${role}" file`, {
      details: { role },
    });
  }
  try {
    return await readFile(join(dir, name));
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${dir}: cannot read ${name} (${role})`, {
      cause,
      details: { role, file: name },
    });
  }
}
