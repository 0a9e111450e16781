import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ANOMALY_FILES, ANOMALY_SUBDIR, loadAnomalyFeatures, loadAnomalyModel } from '../anomaly/index.js';
import { loadWarninglistIndex } from '../assets/index.js';
import { loadTechniqueModel } from '../attack/index.js';
import type { Config } from '../config/index.js';
import type { WarninglistIndex } from '../extract/index.js';
import { type Catalogue, defaultCataloguePaths, readCatalogue } from '../graph/index.js';
import { loadSeverityModel, MANIFEST_FILE, readManifest } from '../model/index.js';
import { type AdviceSources, adviceFromCatalogue } from './advice.js';
import {
  type AnomalyScorer,
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

/** Where the shipped anomaly model lives inside MODELS_DIR. */
export const ANOMALY_MODEL_SUBDIR = join(SEVERITY_MODEL_SUBDIR, ANOMALY_SUBDIR);

/**
 * Loads the shipped anomaly model (`MODELS_DIR/severity/anomaly`) with the
 * feature artefacts it was trained with, or undefined (with a warning) when
 * there is none: predictions then carry `anomalyScore: null`. A model that is
 * present but unusable (corrupt, or its features.json no longer matches) is
 * an error, as for the severity model.
 */
export async function loadShippedAnomalyScorer(
  modelsDir: string,
  logger: Logger,
): Promise<AnomalyScorer | undefined> {
  const dir = join(modelsDir, ANOMALY_MODEL_SUBDIR);
  try {
    await access(join(dir, ANOMALY_FILES.manifest));
  } catch {
    logger.warn({ dir }, 'no anomaly model found: predictions carry anomalyScore null');
    return undefined;
  }
  const model = await loadAnomalyModel(dir);
  const artefacts = await loadAnomalyFeatures(dir, model);
  logger.info({ dir }, 'anomaly model loaded');
  return { model, artefacts };
}

/** The advice sources and the parsed catalogue they came from. */
export interface LoadedAdvice {
  advice: AdviceSources;
  catalogue: Catalogue;
}

/**
 * Reads the shipped knowledge-graph catalogue once and derives the advice
 * sources (KEV, mitigations). Undefined (with a warning) when the catalogue is
 * missing or unreadable: recommendations then leave KEV status unchecked.
 */
export async function loadShippedAdvice(
  logger: Logger,
  cataloguePath = defaultCataloguePaths().catalogue,
): Promise<LoadedAdvice | undefined> {
  try {
    const catalogue = await readCatalogue(cataloguePath);
    const advice = adviceFromCatalogue(catalogue);
    logger.info(
      { kevEntries: advice.kev.size, mitigatedTechniques: advice.mitigatedTechniques },
      'recommendation sources loaded from the graph catalogue',
    );
    return { advice, catalogue };
  } catch (err) {
    logger.warn(
      { err, path: cataloguePath },
      'no graph catalogue: recommendations without KEV status or mitigations',
    );
    return undefined;
  }
}

/** The loaded predictor and the parts other components share (enrichment uses the same extraction and mapper). */
export interface LoadedPredictorParts {
  predictor: ServicePredictor;
  warninglists: WarninglistIndex;
  techniques: TechniqueMapper | undefined;
  /** The same composition around another severity model (the learning loop's active, canary and shadow versions). */
  variant: (severity: LoadedSeverityModel) => ServicePredictor;
  /**
   * The parsed graph catalogue the advice was built from, handed over once
   * (then forgotten, so its memory can be freed): pass it to
   * `ensureCatalogueLoaded` so the file is not read a second time.
   */
  takeCatalogue: () => Catalogue | undefined;
}

/**
 * Builds the real predictor from the configuration: shipped severity model,
 * warninglists, technique model, anomaly model and the recommendation sources
 * from the graph catalogue. Every variant shares the anomaly model and advice.
 */
export async function loadServicePredictor(
  config: Pick<Config, 'MODELS_DIR'>,
  logger: Logger,
): Promise<LoadedPredictorParts> {
  const [severity, warninglists, techniques, anomaly, loadedAdvice] = await Promise.all([
    loadShippedSeverityModel(config.MODELS_DIR, logger),
    loadWarninglistIndex(),
    loadShippedTechniqueMapper(config.MODELS_DIR, logger),
    loadShippedAnomalyScorer(config.MODELS_DIR, logger),
    loadShippedAdvice(logger),
  ]);
  const advice = loadedAdvice?.advice;
  let catalogue = loadedAdvice?.catalogue;
  const compose = (s: LoadedSeverityModel | undefined) =>
    createServicePredictor({ severity: s, warninglists, techniques, anomaly, advice });
  return {
    predictor: compose(severity),
    warninglists,
    techniques,
    variant: (other) => compose(other),
    takeCatalogue: () => {
      const c = catalogue;
      catalogue = undefined;
      return c;
    },
  };
}
