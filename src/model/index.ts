export type { SeverityFamilyLoader } from './family.js';
export {
  CURRENT_MANIFEST_FORMAT,
  MANIFEST_FILE,
  type ModelManifest,
  parseManifest,
  readManifest,
} from './format/manifest.js';
export { type ManifestV1, ManifestV1Schema } from './format/manifest-v1.js';
export { checkCompatible, loadSeverityModel } from './load-severity-model.js';
export {
  SEVERITY_CLASS_COUNT,
  SEVERITY_CLASSES,
  type SeverityClass,
  type SeverityInput,
  type SeverityModel,
  type SeverityModelRef,
  type SeverityPrediction,
} from './severity.js';
