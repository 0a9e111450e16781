import { validate } from '../../core/index.js';
import { FEATURE_SPEC_VERSION, parseFeatureArtefacts } from '../../features/index.js';
import { calibrationOf } from '../calibrate.js';
import type { SeverityFamilyLoader } from '../family.js';
import type { ModelManifest } from '../format/manifest.js';
import { MlpConfigV1Schema } from '../format/mlp-v1.js';
import { readModelFile } from '../format/model-dir.js';
import { denseStackOf } from './dense-stack.js';
import { MlpSeverityModel } from './mlp-model.js';
import { loadLayersModelFromDir } from './tfjs-io.js';
import { tfjs } from './tfjs-runtime.js';

/** The manifest `family` of the TF.js baseline. */
export const MLP_FAMILY = 'tfjs-mlp';

/** Loads a `tfjs-mlp` model directory: manifest config, `features.json`, TF.js layers model. */
export async function loadMlpModel(dir: string, manifest: ModelManifest): Promise<MlpSeverityModel> {
  const config = validate(
    MlpConfigV1Schema,
    manifest.config,
    `${dir} manifest config`,
    'CS_ERR_ARTEFACT_INVALID',
  );
  const features = (await readModelFile(dir, manifest, 'features')).toString('utf8');
  const artefacts = parseFeatureArtefacts(features, `${dir}/features.json`);
  const tf = await tfjs();
  const network = await loadLayersModelFromDir(dir);
  // Inference reads the dense layers once and runs them as plain arithmetic (see dense-stack.ts).
  const layers = denseStackOf(network);
  network.dispose();
  return new MlpSeverityModel(tf, layers, artefacts, config, calibrationOf(manifest), {
    family: manifest.family,
    version: manifest.version,
  });
}

/** Loader of the `tfjs-mlp` family; it needs the features module's current spec version. */
export const mlpFamily: SeverityFamilyLoader = {
  family: MLP_FAMILY,
  acceptsFeatureSpec: (version) => version === FEATURE_SPEC_VERSION,
  load: loadMlpModel,
};
