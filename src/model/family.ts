import type { ModelManifest } from './format/manifest.js';
import type { SeverityModel } from './severity.js';

/**
 * How one model family is loaded. Each family lives in its own file and is
 * listed once in `load-severity-model.ts` (no registration by import side effects).
 */
export interface SeverityFamilyLoader {
  /** The manifest `family` value this loader reads. */
  family: string;
  /** The `featureSpecVersion` values this build can feed to the family's weights. */
  acceptsFeatureSpec(version: string): boolean;
  /**
   * Loads the weights from `dir`; the manifest has already been checked
   * against this build. `loadMember` loads another model directory (with all
   * checks), for families made of members (ensembles).
   */
  load(
    dir: string,
    manifest: ModelManifest,
    loadMember: (dir: string) => Promise<SeverityModel>,
  ): Promise<SeverityModel>;
}
