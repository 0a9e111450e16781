/**
 * Loads the shipped derived files (`assets/`). One file per asset; each
 * validates what it reads and fails with `CS_ERR_ASSET_MISSING` or
 * `CS_ERR_ARTEFACT_INVALID`.
 */
export { defaultAssetsDir } from './paths.js';
export {
  defaultWarninglistsPath,
  loadWarninglistFile,
  loadWarninglistIndex,
  WARNINGLISTS_FILE,
} from './warninglists.js';
