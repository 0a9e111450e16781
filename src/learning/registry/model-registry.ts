import { join, resolve } from 'node:path';
import { AppError, type Clock } from '../../core/index.js';
import { type ModelManifest, readManifest } from '../../model/index.js';
import type {
  ModelRegistryRepository,
  ModelStatus,
  ModelStatusChange,
  ModelTransitionResult,
  StoredModelVersion,
} from '../../store/index.js';

/** Statuses a version can be promoted to by hand. */
export const PROMOTION_STATUSES = ['active', 'canary', 'shadow'] as const;

/** One of {@link PROMOTION_STATUSES}. */
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** Dependencies of a {@link ModelRegistry}. */
export interface ModelRegistryOptions {
  models: ModelRegistryRepository;
  clock: Clock;
  /** `DATA_DIR`: new model versions go to `DATA_DIR/models/<family>/<version>/`. */
  dataDir: string;
  /**
   * This build's shipped model directory (`MODELS_DIR/severity`): the shipped
   * version is read from here by {@link ModelRegistry.artefactDirOf}, not from
   * the path its record holds (the checkout of the process that registered it).
   */
  shippedDir?: string;
  /**
   * Told after every status change (e.g. publishes to Redis so replicas swap
   * at once instead of at their next poll). Failures are the caller's to log;
   * replicas still learn of the change by polling.
   */
  onChange?: (family: string) => Promise<void> | void;
  /**
   * Called before a promotion or rollback makes a version serve (active,
   * canary, shadow), with nothing changed yet: loads and checks its artefacts
   * (an API replica) and throws to refuse the change. What it returns is
   * called once the change is stored, before `onChange` (the replica swaps to
   * the model it just loaded).
   */
  prepare?: ModelChangePreparer;
}

/** See {@link ModelRegistryOptions.prepare}. */
export type ModelChangePreparer = (
  version: StoredModelVersion,
  to: PromotionStatus,
) => Promise<(() => void) | undefined>;

/** What registering the shipped model did. */
export interface ShippedRegistration {
  record: StoredModelVersion;
  /** False when it was registered before. */
  created: boolean;
}

/**
 * The model registry: every model version with its manifest, lineage,
 * training-data hash, holdout figures and status, and the history of who
 * changed the status, when and why. Records live in the store (exactly one
 * active version per family, enforced there); artefacts on disk.
 */
export class ModelRegistry {
  readonly #o: ModelRegistryOptions;
  #shipped: Promise<{ family: string; version: string } | undefined> | undefined;

  constructor(options: ModelRegistryOptions) {
    this.#o = options;
  }

  /**
   * Where this process reads a version's files: its own shipped directory for
   * the shipped version (when `shippedDir` is set and holds that version),
   * else the directory the record names.
   */
  async artefactDirOf(record: StoredModelVersion): Promise<string> {
    const dir = this.#o.shippedDir;
    if (dir !== undefined) {
      this.#shipped ??= readManifest(dir).then(
        (m) => ({ family: m.family, version: m.version }),
        // No readable shipped model here: every record is read where it says.
        () => undefined,
      );
      const shipped = await this.#shipped;
      if (shipped?.family === record.family && shipped.version === record.version) return resolve(dir);
    }
    return record.artefactDir;
  }

  /** Where a new version's files go: `DATA_DIR/models/<family>/<version>/` (absolute). */
  versionDir(family: string, version: string): string {
    return resolve(join(this.#o.dataDir, 'models', family, version));
  }

  /**
   * Registers the shipped model (read-only directory, e.g. `models/severity`)
   * when it is not registered yet: active when its family has no active
   * version (a fresh data dir), else a candidate (a newer build's model waits
   * to be promoted by hand). Safe when several replicas start at once.
   *
   * @param holdout holdout figures measured on the gate's holdout, merged into the metrics as `holdout.*`.
   */
  async registerShipped(
    dir: string,
    holdout?: (manifest: ModelManifest) => Promise<Record<string, number> | undefined>,
  ): Promise<ShippedRegistration> {
    const manifest = await readManifest(dir);
    const existing = await this.#o.models.get(manifest.family, manifest.version);
    if (existing !== undefined) return { record: existing, created: false };
    const figures = (await holdout?.(manifest)) ?? {};
    const active = await this.active(manifest.family);
    try {
      const record = await this.#o.models.register({
        family: manifest.family,
        version: manifest.version,
        status: active === undefined ? 'active' : 'candidate',
        parentVersion: manifest.parentVersion,
        artefactDir: resolve(dir),
        trainingDataSha256: manifest.trainingData.sha256,
        metrics: { ...manifest.metrics, ...prefixed('holdout', figures) },
        manifest,
        evaluation: null,
        createdAt: this.#o.clock.now(),
        actor: 'system',
        reason:
          active === undefined
            ? 'shipped model, registered on a fresh data dir'
            : `shipped model of a newer build; ${active.version} stays active until this is promoted`,
      });
      return { record, created: true };
    } catch (err) {
      // Another replica registered it (or took the active slot) at the same moment.
      if (err instanceof AppError && err.code === 'CS_ERR_CONFLICT') {
        const again = await this.#o.models.get(manifest.family, manifest.version);
        if (again !== undefined) return { record: again, created: false };
      }
      throw err;
    }
  }

  /**
   * Registers a retrained model as a candidate, with its holdout figures and
   * the gate's evaluation. CS_ERR_CONFLICT when the version exists.
   */
  async registerCandidate(c: {
    manifest: ModelManifest;
    artefactDir: string;
    metrics: Record<string, number>;
    evaluation: unknown;
    actor: string;
    reason: string;
  }): Promise<StoredModelVersion> {
    const record = await this.#o.models.register({
      family: c.manifest.family,
      version: c.manifest.version,
      status: 'candidate',
      parentVersion: c.manifest.parentVersion,
      artefactDir: resolve(c.artefactDir),
      trainingDataSha256: c.manifest.trainingData.sha256,
      metrics: c.metrics,
      manifest: c.manifest,
      evaluation: c.evaluation,
      createdAt: this.#o.clock.now(),
      actor: c.actor,
      reason: c.reason,
    });
    await this.#o.onChange?.(record.family);
    return record;
  }

  /** All versions (of one family when given), oldest first. */
  list(family?: string): Promise<StoredModelVersion[]> {
    return this.#o.models.list(family);
  }

  /** The active version of a family, or undefined. */
  async active(family: string): Promise<StoredModelVersion | undefined> {
    return (await this.#o.models.withStatus(family, 'active'))[0];
  }

  /** The version of a family holding a status (active, canary, shadow), or undefined. */
  async holding(family: string, status: ModelStatus): Promise<StoredModelVersion | undefined> {
    return (await this.#o.models.withStatus(family, status))[0];
  }

  /**
   * Finds a version by name, in one family when given, else in any family.
   * CS_ERR_NOT_FOUND when none matches; CS_ERR_VALIDATION when several
   * families have it and no family was given.
   */
  async find(version: string, family?: string): Promise<StoredModelVersion> {
    if (family !== undefined) {
      const one = await this.#o.models.get(family, version);
      if (one === undefined) throw new AppError('CS_ERR_NOT_FOUND', `No model version ${family}/${version}`);
      return one;
    }
    const matches = (await this.#o.models.list()).filter((v) => v.version === version);
    if (matches.length === 0) throw new AppError('CS_ERR_NOT_FOUND', `No model version ${version}`);
    if (matches.length > 1) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Version ${version} exists in several families (${matches.map((m) => m.family).join(', ')}); name the family`,
      );
    }
    return matches[0]!;
  }

  /**
   * Gives a version the active, canary or shadow status. The version holding
   * it now becomes retired (active) or goes back to candidate (canary, shadow).
   * The `prepare` hook runs first: when it throws, nothing changes.
   */
  async promote(
    version: StoredModelVersion,
    to: PromotionStatus,
    actor: string,
    reason: string,
  ): Promise<ModelTransitionResult> {
    if (version.status === 'active' && to !== 'active') {
      // Moving the active version elsewhere would leave the family without one.
      throw new AppError(
        'CS_ERR_CONFLICT',
        `${version.family}/${version.version} is active: promote another version or roll back first`,
        { details: { currentStatus: version.status } },
      );
    }
    const commit = await this.#o.prepare?.(version, to);
    return this.#changed(
      this.#o.models.transition({
        family: version.family,
        version: version.version,
        to,
        actor,
        reason,
        at: this.#o.clock.now(),
        demoteTo: to === 'active' ? 'retired' : 'candidate',
      }),
      commit,
    );
  }

  /** Sends a version back to candidate (ends its canary or shadow run) or retires it. */
  async demote(
    version: StoredModelVersion,
    to: 'candidate' | 'retired',
    actor: string,
    reason: string,
  ): Promise<ModelTransitionResult> {
    if (version.status === 'active') {
      throw new AppError(
        'CS_ERR_CONFLICT',
        `${version.family}/${version.version} is active: promote another version or roll back instead`,
      );
    }
    return this.#changed(
      this.#o.models.transition({
        family: version.family,
        version: version.version,
        to,
        actor,
        reason,
        at: this.#o.clock.now(),
      }),
    );
  }

  /**
   * Returns a family to the version that was active before the current one
   * (the latest version the history shows leaving `active`), retiring the
   * current one. CS_ERR_CONFLICT when there is no earlier active version.
   * The `prepare` hook runs first on the version returned to: when it throws, nothing changes.
   */
  async rollback(family: string, actor: string, reason: string): Promise<ModelTransitionResult> {
    const current = await this.active(family);
    const history = await this.#o.models.history(family);
    const previous = [...history]
      .reverse()
      .find((h) => h.fromStatus === 'active' && h.version !== current?.version);
    if (previous === undefined) {
      throw new AppError(
        'CS_ERR_CONFLICT',
        `Nothing to roll back to: ${family} has had no other active version`,
      );
    }
    const target = await this.#o.models.get(family, previous.version);
    if (target === undefined)
      throw new AppError('CS_ERR_NOT_FOUND', `No model version ${family}/${previous.version}`);
    const commit = await this.#o.prepare?.(target, 'active');
    return this.#changed(
      this.#o.models.transition({
        family,
        version: target.version,
        to: 'active',
        actor,
        reason: `rollback${current === undefined ? '' : ` from ${current.version}`}: ${reason}`,
        at: this.#o.clock.now(),
        demoteTo: 'retired',
      }),
      commit,
    );
  }

  async #changed(
    pending: Promise<ModelTransitionResult>,
    commit?: () => void,
  ): Promise<ModelTransitionResult> {
    const result = await pending;
    commit?.();
    await this.#o.onChange?.(result.changed.family);
    return result;
  }

  /** The status history of a family (of one version when given). */
  history(family: string, version?: string): Promise<ModelStatusChange[]> {
    return this.#o.models.history(family, version);
  }
}

/** `{a: 1}` with prefix `p` gives `{'p.a': 1}`. */
export function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix}.${k}`, v]));
}
