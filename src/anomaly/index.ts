/**
 * Anomaly score: how unlike the training data a feature vector is. A dense
 * TF.js autoencoder trained on the 128-slot vectors of the training texts;
 * the score is the reconstruction error's percentile among held-out training
 * texts (stored with the model as a quantile table), in [0, 1].
 */

export type { AnomalyBackground } from './anomaly-model.js';
export { type AnomalyDetails, AnomalyModel } from './anomaly-model.js';
export type { AnomalyManifestV1 } from './format.js';
export { ANOMALY_FILES, ANOMALY_SUBDIR, AnomalyManifestV1Schema } from './format.js';
export { loadAnomalyFeatures, loadAnomalyModel, readAnomalyManifest, saveAnomalyModel } from './persist.js';
export { levelOf, quantileTable } from './quantiles.js';
export { tfWasm } from './tf-backend.js';
export type { AnomalyTrainingInfo, AnomalyTrainOptions, TrainedAnomaly } from './train.js';
export { trainAnomalyModel } from './train.js';
