import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSeverityModel, MANIFEST_FILE } from '../../model/index.js';
import type { StoredModelVersion } from '../../store/index.js';
import { writeDriftReference } from '../drift/drift-files.js';
import { modelFigures, readHoldout } from '../retrain/train-candidate.js';
import type { ModelRegistry } from './model-registry.js';

/** What {@link ensureShippedRegistered} needs. */
export interface EnsureShippedOptions {
  registry: ModelRegistry;
  /** The shipped model's directory (MODELS_DIR/severity). */
  shippedDir: string;
  /** The gate's holdout; the shipped model is scored on it at registration. */
  holdoutPath: string;
  /** "Now" for the drift reference, ms. */
  now: number;
}

/**
 * Registers the shipped model on a fresh data dir (active when its family has
 * none): measures its holdout figures on the gate's holdout, so the gate and
 * `models list` compare like with like, and writes a drift reference for it
 * into the registry's own directory (the shipped directory is read-only).
 * The shipped model's training data is not in the repository, so that
 * reference is computed from the holdout texts (its description says so).
 * Undefined when no model is shipped.
 */
export async function ensureShippedRegistered(
  o: EnsureShippedOptions,
): Promise<StoredModelVersion | undefined> {
  try {
    await access(join(o.shippedDir, MANIFEST_FILE));
  } catch {
    return undefined;
  }
  const { record } = await o.registry.registerShipped(o.shippedDir, async (manifest) => {
    let holdout: Awaited<ReturnType<typeof readHoldout>>;
    try {
      holdout = await readHoldout(o.holdoutPath);
    } catch {
      return undefined;
    }
    const model = await loadSeverityModel(o.shippedDir);
    try {
      const figures = modelFigures(model, holdout, []);
      const dir = o.registry.versionDir(manifest.family, manifest.version);
      await mkdir(dir, { recursive: true });
      await writeDriftReference(dir, {
        docs: holdout.map((d) => ({
          text: d.text,
          ...(d.source === undefined ? {} : { source: d.source }),
          ...(d.published === undefined ? {} : { published: d.published }),
        })),
        model,
        description: `gate holdout texts (${holdout.length}); the shipped model's training data is not in the repository`,
        now: o.now,
      });
      return { ...figures.holdout };
    } finally {
      model.dispose();
    }
  });
  return record;
}
