import { AppError } from '../core/index.js';
import { hashDataFiles, loadTechniqueCorpus } from './data/sources.js';
import { splitByReport } from './data/split.js';
import { type EvaluationSets, evaluationSets } from './eval-sets.js';
import type { TechniqueManifest } from './manifest.js';

/**
 * Rebuilds the evaluation sets a model was measured on, from the data folder and the
 * split settings in its manifest, so that anyone can re-run `eval` on the same split.
 * Throws CS_ERR_CONFLICT when the data differs from what the model was trained on.
 */
export function rebuildEvaluationSets(
  dataDir: string,
  manifest: TechniqueManifest,
  cacheDir?: string,
): { validation: EvaluationSets; test: EvaluationSets } {
  const data = hashDataFiles(dataDir);
  if (data.sha256 !== manifest.training.dataSha256) {
    throw new AppError(
      'CS_ERR_CONFLICT',
      `The data in ${dataDir} differs from the data the model was trained on (hash ${data.sha256.slice(0, 16)}… vs ${manifest.training.dataSha256.slice(0, 16)}…)`,
      { details: { dataDir } },
    );
  }
  const h = manifest.training.hyperparameters;
  const corpus = loadTechniqueCorpus(dataDir, data.sha256, cacheDir);
  const split = splitByReport(corpus, {
    seed: Number(h.splitSeed),
    validation: Number(h.validationShare),
    test: Number(h.testShare),
  });
  return { validation: evaluationSets(split, 'validation'), test: evaluationSets(split, 'test') };
}
