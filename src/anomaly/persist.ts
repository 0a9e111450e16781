import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { AppError, validate } from '../core/index.js';
import {
  FEATURE_SPEC_VERSION,
  FEATURES_FILE,
  type FeatureArtefacts,
  parseFeatureArtefacts,
} from '../features/index.js';
import { AnomalyModel } from './anomaly-model.js';
import { ANOMALY_FILES, type AnomalyManifestV1, AnomalyManifestV1Schema } from './format.js';
import { tfWasm } from './tf-backend.js';
import { denseLayersOf } from './tf-layers.js';
import type { TrainedAnomaly } from './train.js';

/** The `model.json` of the TF.js layers format, as written here. */
interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function concat(data: tf.io.WeightData): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Writes a trained anomaly model to `dir` (created if missing): the network
 * in TF.js layers format (`model.json` + `weights.bin`, loadable by
 * `tf.loadLayersModel`) and `anomaly.json` (standardiser, error quantiles,
 * background sample, provenance). Overwrites existing files.
 */
export async function saveAnomalyModel(dir: string, trained: TrainedAnomaly): Promise<void> {
  const tf = await tfWasm();
  await mkdir(dir, { recursive: true });
  let saved: { json: LayersModelJson; weights: Uint8Array } | undefined;
  await trained.network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = {
        json: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [ANOMALY_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
        },
        weights: concat(artifacts.weightData ?? new ArrayBuffer(0)),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined)
    throw new AppError('CS_ERR_INTERNAL', 'TF.js did not hand over the model artefacts');
  await writeFile(join(dir, ANOMALY_FILES.model), `${JSON.stringify(saved.json)}\n`);
  await writeFile(join(dir, ANOMALY_FILES.weights), saved.weights);
  await writeFile(join(dir, ANOMALY_FILES.manifest), `${JSON.stringify(trained.manifest)}\n`);
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `Anomaly model file ${path} cannot be read`, {
      cause,
      details: { path },
    });
  }
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `Anomaly model file ${path} is not valid JSON`, {
      cause,
      details: { path },
    });
  }
}

/** Checks what the schema cannot: lengths against the dimension, ordered quantiles, the spec version. */
function checkManifest(m: AnomalyManifestV1, path: string): void {
  const bad = (why: string) =>
    new AppError('CS_ERR_ARTEFACT_INVALID', `Anomaly manifest ${path}: ${why}`, { details: { path } });
  if (m.featureSpecVersion !== FEATURE_SPEC_VERSION) {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `Anomaly model at ${path} was trained on feature spec ${m.featureSpecVersion}, this build computes ${FEATURE_SPEC_VERSION}; retrain it (npm run train:anomaly)`,
      { details: { path, featureSpecVersion: m.featureSpecVersion } },
    );
  }
  const d = m.dimension;
  if (m.standardiser.mean.length !== d || m.standardiser.std.length !== d)
    throw bad(`standardiser lengths differ from dimension ${d}`);
  if (m.background.mean.length !== d || m.background.rows.some((r) => r.length !== d)) {
    throw bad(`background vectors must have ${d} slots`);
  }
  const tables: [string, readonly number[]][] = [
    ['errorQuantiles', m.errorQuantiles],
    ['scoreQuantiles', m.scoreQuantiles],
  ];
  if (m.coverage !== null) {
    tables.push(['coverage.quantiles', m.coverage.quantiles]);
    if (!(m.coverage.start < m.coverage.end && m.coverage.end <= d)) {
      throw bad(`coverage slots [${m.coverage.start}, ${m.coverage.end}) leave the vector of ${d}`);
    }
  }
  for (const [name, q] of tables) {
    for (let i = 1; i < q.length; i++) if (!(q[i]! >= q[i - 1]!)) throw bad(`${name} decrease at entry ${i}`);
  }
}

/**
 * Reads and checks the manifest (`anomaly.json`) of the anomaly model in `dir`
 * without loading the network: enough for {@link loadAnomalyFeatures}.
 *
 * Errors: as {@link loadAnomalyModel} for the manifest.
 */
export async function readAnomalyManifest(dir: string): Promise<AnomalyManifestV1> {
  const manifestPath = join(dir, ANOMALY_FILES.manifest);
  const manifest = validate(
    AnomalyManifestV1Schema,
    parseJson(await readOrFail(manifestPath), manifestPath),
    `Anomaly manifest ${manifestPath}`,
    'CS_ERR_ARTEFACT_INVALID',
  );
  checkManifest(manifest, manifestPath);
  return manifest;
}

/**
 * Loads the anomaly model saved in `dir` (see `saveAnomalyModel`; the shipped
 * one is `models/severity/anomaly/`). Reads the TF.js layers files through
 * `tf.loadLayersModel` on the wasm backend, copies the dense weights out and
 * releases the TF.js model: scoring afterwards is plain arithmetic.
 *
 * Errors: CS_ERR_ARTEFACT_INVALID when a file is missing, unreadable or
 * malformed (the message names the field); CS_ERR_MODEL_INCOMPATIBLE when the
 * model was trained for another feature spec or its layers are not a dense
 * autoencoder of the recorded dimension.
 */
export async function loadAnomalyModel(dir: string): Promise<AnomalyModel> {
  const manifest = await readAnomalyManifest(dir);
  const modelPath = join(dir, ANOMALY_FILES.model);
  const json = parseJson(await readOrFail(modelPath), modelPath) as Partial<LayersModelJson> | null;
  const group = json?.weightsManifest?.[0];
  if (json === null || typeof json !== 'object' || json.modelTopology === undefined || group === undefined) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${modelPath} is not a TF.js layers model.json`, {
      details: { path: modelPath },
    });
  }
  const weights = await readOrFail(join(dir, ANOMALY_FILES.weights));
  const tf = await tfWasm();
  let network: tf.LayersModel;
  try {
    network = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: group.weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `TF.js cannot load the anomaly network in ${dir}`, {
      cause,
      details: { path: dir },
    });
  }
  try {
    const layers = denseLayersOf(network, modelPath);
    if (layers[0]!.inputs !== manifest.dimension || layers[layers.length - 1]!.units !== manifest.dimension) {
      throw new AppError(
        'CS_ERR_MODEL_INCOMPATIBLE',
        `${modelPath}: the network maps ${layers[0]!.inputs} to ${layers[layers.length - 1]!.units} slots, the manifest says ${manifest.dimension}`,
      );
    }
    return new AnomalyModel(manifest, layers);
  } finally {
    network.dispose();
  }
}

/**
 * The feature artefacts the anomaly model in `dir` was trained with: its own
 * `features.json` or the severity model's one level up
 * (`models/severity/features.json`), whichever has the SHA-256 the manifest
 * records. Featurize with these, or the score compares unlike vectors. `model`
 * may be the loaded model or just its manifest ({@link readAnomalyManifest}).
 *
 * Errors: CS_ERR_MODEL_INCOMPATIBLE when neither file matches (the severity
 * model's artefacts changed: retrain with `npm run train:anomaly`);
 * CS_ERR_ARTEFACT_INVALID when the matching file is malformed.
 */
export async function loadAnomalyFeatures(
  dir: string,
  model: { readonly manifest: Pick<AnomalyManifestV1, 'features'> },
): Promise<FeatureArtefacts> {
  const candidates = [join(dir, FEATURES_FILE), join(dir, '..', FEATURES_FILE)];
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    if (createHash('sha256').update(text).digest('hex') === model.manifest.features.sha256) {
      return parseFeatureArtefacts(text, path);
    }
  }
  throw new AppError(
    'CS_ERR_MODEL_INCOMPATIBLE',
    `No features.json matching the anomaly model's (SHA-256 ${model.manifest.features.sha256.slice(0, 12)}…, from ${model.manifest.features.source}) in ${candidates.join(' or ')}; retrain it (npm run train:anomaly)`,
    { details: { candidates, sha256: model.manifest.features.sha256 } },
  );
}
