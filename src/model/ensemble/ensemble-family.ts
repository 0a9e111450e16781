import { join } from 'node:path';
import { AppError, validate } from '../../core/index.js';
import { calibrationOf } from '../calibrate.js';
import type { SeverityFamilyLoader } from '../family.js';
import { ENSEMBLE_SPEC_VERSION, EnsembleConfigV1Schema } from '../format/ensemble-v1.js';
import type { SeverityModel } from '../severity.js';
import { EnsembleSeverityModel } from './ensemble-model.js';

/** The manifest `family` of ensembles. */
export const ENSEMBLE_FAMILY = 'ensemble';

/** Loader of the `ensemble` family: loads each member directory with all of its own checks. */
export const ensembleFamily: SeverityFamilyLoader = {
  family: ENSEMBLE_FAMILY,
  acceptsFeatureSpec: (version) => version === ENSEMBLE_SPEC_VERSION,
  async load(dir, manifest, loadMember) {
    const config = validate(
      EnsembleConfigV1Schema,
      manifest.config,
      `${dir} manifest config`,
      'CS_ERR_ARTEFACT_INVALID',
    );
    const total = config.members.reduce((a, m) => a + m.weight, 0);
    if (Math.abs(total - 1) > 1e-6) {
      throw new AppError('CS_ERR_ARTEFACT_INVALID', `${dir}: ensemble weights sum to ${total}, not 1`, {
        details: { total },
      });
    }
    const members: SeverityModel[] = [];
    try {
      for (const m of config.members) members.push(await loadMember(join(dir, m.path)));
    } catch (err) {
      for (const m of members) m.dispose();
      throw err;
    }
    return new EnsembleSeverityModel(members, config, calibrationOf(manifest), {
      family: manifest.family,
      version: manifest.version,
    });
  },
};
