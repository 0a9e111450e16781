import { AppError } from '../core/index.js';
import { ensembleFamily } from './ensemble/ensemble-family.js';
import type { SeverityFamilyLoader } from './family.js';
import { type ModelManifest, readManifest } from './format/manifest.js';
import { hashedFamily } from './hashed/hashed-family.js';
import { mlpFamily } from './mlp/mlp-family.js';
import { SEVERITY_CLASSES, type SeverityModel } from './severity.js';

/** Every severity model family this build can load, by manifest `family`. */
const FAMILIES: readonly SeverityFamilyLoader[] = [hashedFamily, mlpFamily, ensembleFamily];

/**
 * Throws `CS_ERR_MODEL_INCOMPATIBLE` unless this build can run the model the
 * manifest describes: the task, the class order, a known family and the
 * input representation (feature-spec version) must all match the code.
 */
export function checkCompatible(manifest: ModelManifest, where: string): SeverityFamilyLoader {
  const refuse = (why: string, details: Record<string, unknown>): never => {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `Model at ${where} is incompatible with this build: ${why}`,
      {
        details,
      },
    );
  };
  if (manifest.task !== 'severity')
    refuse(`task is ${manifest.task}, expected severity`, { task: manifest.task });
  if (manifest.classes.join(',') !== SEVERITY_CLASSES.join(',')) {
    refuse(`classes are [${manifest.classes.join(', ')}], expected [${SEVERITY_CLASSES.join(', ')}]`, {
      classes: manifest.classes,
    });
  }
  const loader = FAMILIES.find((f) => f.family === manifest.family);
  if (!loader) {
    return refuse(
      `unknown model family "${manifest.family}" (known: ${FAMILIES.map((f) => f.family).join(', ')})`,
      {
        family: manifest.family,
      },
    );
  }
  if (!loader.acceptsFeatureSpec(manifest.featureSpecVersion)) {
    refuse(
      `feature spec ${manifest.featureSpecVersion} does not match the code's for family ${manifest.family}`,
      {
        family: manifest.family,
        featureSpecVersion: manifest.featureSpecVersion,
      },
    );
  }
  return loader;
}

/**
 * Loads the severity model in `dir` (a directory holding `manifest.json` and
 * the files it lists). Reads from disk once; the returned model predicts
 * synchronously.
 *
 * Errors: `CS_ERR_ARTEFACT_INVALID` when a file is missing or malformed,
 * `CS_ERR_MODEL_INCOMPATIBLE` when the manifest does not match this build
 * (unknown format version or family, other classes, other feature spec).
 */
export async function loadSeverityModel(dir: string): Promise<SeverityModel> {
  const manifest = await readManifest(dir);
  const loader = checkCompatible(manifest, dir);
  return loader.load(dir, manifest, loadSeverityModel);
}
