import { AppError, validate } from '../../core/index.js';
import { calibrationOf } from '../calibrate.js';
import type { SeverityFamilyLoader } from '../family.js';
import { type HashedConfigV1, HashedConfigV1Schema } from '../format/hashed-v1.js';
import type { ModelManifest } from '../format/manifest.js';
import { readModelFile } from '../format/model-dir.js';
import { decodeTensor, encodeTensors, type TensorToWrite } from '../format/tensor-io.js';
import { HashedSeverityModel } from './hashed-model.js';
import { type NetworkWeights, outputWidth } from './network.js';
import { HASHED_FEATURES_VERSION } from './text-features.js';

/** The manifest `family` of hashed n-gram models. */
export const HASHED_FAMILY = 'hashed-ngram';

/** Weights file name inside the model directory. */
export const HASHED_WEIGHTS_FILE = 'weights.bin';

/** Precision of the stored embedding table. */
export type EmbeddingPrecision = 'float32' | 'float16' | 'int8-rows';

/** Encodes the weights; returns the file bytes and the tensor index for the config. */
export function encodeHashedWeights(
  network: HashedConfigV1['network'],
  buckets: number,
  w: NetworkWeights,
  precision: EmbeddingPrecision,
): { bytes: Buffer; index: HashedConfigV1['tensors'] } {
  const o = outputWidth(network);
  const tensors: TensorToWrite[] = [
    { name: 'embedding', shape: [buckets, network.dim], values: w.embedding, dtype: precision },
    { name: 'embeddingBias', shape: [network.dim], values: w.embeddingBias, dtype: 'float32' },
  ];
  if (network.hidden) {
    tensors.push(
      { name: 'dense', shape: [network.dim, o], values: w.dense, dtype: 'float32' },
      { name: 'denseBias', shape: [o], values: w.denseBias, dtype: 'float32' },
    );
  }
  return encodeTensors(tensors);
}

function shapeMismatch(where: string, what: string): never {
  throw new AppError('CS_ERR_ARTEFACT_INVALID', `${where}: ${what}`, { details: { what } });
}

/**
 * Decodes the weights file of a hashed model (the inverse of
 * {@link encodeHashedWeights}, up to the stored precision), checking every
 * tensor's shape against the config. `where` names the source in errors.
 */
export function decodeHashedWeights(bytes: Buffer, config: HashedConfigV1, where: string): NetworkWeights {
  const net = config.network;
  const buckets = config.features.buckets;
  const o = outputWidth(net);
  const tensor = (name: string, shape: number[]): Float32Array => {
    const entry = config.tensors.find((t) => t.name === name);
    if (!entry) return shapeMismatch(where, `weights index lacks tensor ${name}`);
    if (entry.shape.join('x') !== shape.join('x')) {
      shapeMismatch(where, `tensor ${name} has shape ${entry.shape.join('x')}, expected ${shape.join('x')}`);
    }
    return decodeTensor(bytes, entry, where);
  };
  return {
    embedding: tensor('embedding', [buckets, net.dim]),
    embeddingBias: tensor('embeddingBias', [net.dim]),
    dense: net.hidden ? tensor('dense', [net.dim, o]) : new Float32Array(0),
    denseBias: net.hidden ? tensor('denseBias', [o]) : new Float32Array(0),
  };
}

/** Reads a hashed model's config and weights from its directory. */
export async function loadHashedModel(dir: string, manifest: ModelManifest): Promise<HashedSeverityModel> {
  const config = validate(
    HashedConfigV1Schema,
    manifest.config,
    `${dir} manifest config`,
    'CS_ERR_ARTEFACT_INVALID',
  );
  const net = config.network;
  const buckets = config.features.buckets;
  if ((buckets & (buckets - 1)) !== 0) shapeMismatch(dir, 'features.buckets is not a power of two');
  if (net.heads[0] !== 5) shapeMismatch(dir, 'the first head must have the 5 severity classes');
  if (!net.hidden && net.dim !== outputWidth(net))
    shapeMismatch(dir, 'a linear network needs dim equal to the output width');
  const bytes = await readModelFile(dir, manifest, 'weights');
  return new HashedSeverityModel(config, decodeHashedWeights(bytes, config, dir), calibrationOf(manifest), {
    family: manifest.family,
    version: manifest.version,
  });
}

/** Loader of the `hashed-ngram` family. */
export const hashedFamily: SeverityFamilyLoader = {
  family: HASHED_FAMILY,
  acceptsFeatureSpec: (version) => version === HASHED_FEATURES_VERSION,
  load: loadHashedModel,
};
