import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io, LayersModel } from '@tensorflow/tfjs';
import { AppError } from '../../core/index.js';
import { tfjs } from './tfjs-runtime.js';

/** File names of the TF.js layers-format model inside a model directory. */
export const TFJS_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin' });

/**
 * Saves a layers model in TF.js layers format: `model.json` (topology and
 * weights manifest, as `tf.loadLayersModel` reads it) and one `weights.bin`.
 */
export async function saveLayersModel(model: LayersModel, dir: string): Promise<void> {
  const tf = await tfjs();
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts) => {
      const data = artifacts.weightData;
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const bytes = Buffer.concat(buffers.map((b) => Buffer.from(b)));
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${TFJS_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, TFJS_FILES.model), `${JSON.stringify(modelJson)}\n`);
      await writeFile(join(dir, TFJS_FILES.weights), bytes);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(0),
          modelTopologyType: 'JSON',
          weightDataBytes: bytes.length,
        },
      };
    }),
  );
}

/** Loads a layers model saved by {@link saveLayersModel}; bad files give `CS_ERR_ARTEFACT_INVALID`. */
export async function loadLayersModelFromDir(dir: string): Promise<LayersModel> {
  const tf = await tfjs();
  try {
    const modelJson = JSON.parse(await readFile(join(dir, TFJS_FILES.model), 'utf8')) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
    };
    const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
    const parts = await Promise.all(
      modelJson.weightsManifest
        .flatMap((g) => g.paths)
        .map((p) => readFile(join(dir, p.replace(/^\.\//, '')))),
    );
    const bytes = Buffer.concat(parts);
    const weightData = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }),
    );
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${dir}: TF.js model could not be loaded`, {
      cause,
      details: { dir },
    });
  }
}
