import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadWarninglistIndex } from '../assets/index.js';
import { loadTechniqueModel } from '../attack/index.js';
import type { Config } from '../config/index.js';
import type { WarninglistIndex } from '../extract/index.js';
import { loadSeverityModel, MANIFEST_FILE, readManifest } from '../model/index.js';
import {
  createServicePredictor,
  type LoadedSeverityModel,
  type ServicePredictor,
  type TechniqueMapper,
  techniqueMapperOf,
} from './predictor.js';

/** Where the shipped severity model lives inside MODELS_DIR. */
export const SEVERITY_MODEL_SUBDIR = 'severity';

/** Where the shipped ATT&CK technique model lives inside MODELS_DIR. */
export const TECHNIQUE_MODEL_SUBDIR = 'techniques';

/**
 * Loads the shipped severity model from `MODELS_DIR/severity`, or undefined
 * (with a warning) when there is none, so the server still starts and
 * `/ready` explains what is missing. A model that is present but cannot be
 * loaded is an error: serving without it would hide a broken install.
 */
export async function loadShippedSeverityModel(
  modelsDir: string,
  logger: Logger,
): Promise<LoadedSeverityModel | undefined> {
  const dir = join(modelsDir, SEVERITY_MODEL_SUBDIR);
  try {
    await access(join(dir, MANIFEST_FILE));
  } catch {
    logger.warn(
      { dir },
      'no severity model found: /ready answers 503 and predictions 503 until one is installed',
    );
    return undefined;
  }
  const [manifest, model] = await Promise.all([readManifest(dir), loadSeverityModel(dir)]);
  logger.info({ dir, family: model.ref.family, version: model.ref.version }, 'severity model loaded');
  return { model, manifest };
}

/**
 * Loads the shipped ATT&CK technique model from `MODELS_DIR/techniques`, or
 * undefined (with a warning) when there is none: predictions then carry no
 * techniques. A model that is present but unusable is an error.
 */
export async function loadShippedTechniqueMapper(
  modelsDir: string,
  logger: Logger,
): Promise<TechniqueMapper | undefined> {
  const dir = join(modelsDir, TECHNIQUE_MODEL_SUBDIR);
  try {
    await access(join(dir, MANIFEST_FILE));
  } catch {
    logger.warn({ dir }, 'no ATT&CK technique model found: predictions carry no techniques');
    return undefined;
  }
  const model = loadTechniqueModel(dir);
  logger.info({ dir, labels: model.labels.length }, 'technique model loaded');
  return techniqueMapperOf(model);
}

/** The loaded predictor and the parts other components share (enrichment uses the same extraction and mapper). */
export interface LoadedPredictorParts {
  predictor: ServicePredictor;
  warninglists: WarninglistIndex;
  techniques: TechniqueMapper | undefined;
  /** The same composition around another severity model (the learning loop's active, canary and shadow versions). */
  variant: (severity: LoadedSeverityModel) => ServicePredictor;
}

/** Builds the real predictor from the configuration: shipped severity model, warninglists, technique model. */
export async function loadServicePredictor(
  config: Pick<Config, 'MODELS_DIR'>,
  logger: Logger,
): Promise<LoadedPredictorParts> {
  const [severity, warninglists, techniques] = await Promise.all([
    loadShippedSeverityModel(config.MODELS_DIR, logger),
    loadWarninglistIndex(),
    loadShippedTechniqueMapper(config.MODELS_DIR, logger),
  ]);
  return {
    predictor: createServicePredictor({ severity, warninglists, techniques }),
    warninglists,
    techniques,
    variant: (other) => createServicePredictor({ severity: other, warninglists, techniques }),
  };
}
