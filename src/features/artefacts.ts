import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, validate } from '../core/index.js';
import { type FeatureArtefactsV1, FeatureArtefactsV1Schema } from './artefacts-format.js';
import { type SourcePrior, type SourceTable, sourceKey } from './source.js';
import { EMBEDDING_DIMENSIONS, FEATURE_SPEC_VERSION } from './spec.js';

/** File name of the feature artefacts inside a model directory. */
export const FEATURES_FILE = 'features.json';

/** The artefacts format version this build writes. */
export const CURRENT_ARTEFACTS_FORMAT = 1;

/** The settings a fit used, recorded in the artefacts. */
export interface FitSettings {
  /** Documents in the fitting corpus. */
  documents: number;
  seed: number;
  maxVocabulary: number;
  minDocumentFrequency: number;
  maxDocumentFrequencyRatio: number;
  ngramMax: 1 | 2;
  oversampling: number;
  powerIterations: number;
}

/**
 * Fitted feature artefacts in memory: what {@link featurize} needs besides the
 * code. Produced by `fitFeatureArtefacts` or {@link parseFeatureArtefacts};
 * treat as immutable (typed arrays are shared, never written after creation).
 */
export interface FeatureArtefacts {
  /** The spec version these artefacts were fitted for (always this build's after parsing). */
  readonly featureSpecVersion: string;
  readonly fit: Readonly<FitSettings>;
  /** Terms in column order. */
  readonly vocabulary: readonly string[];
  /** Term -> column. */
  readonly termIndex: ReadonlyMap<string, number>;
  /** IDF weight per column. */
  readonly idf: Float64Array;
  readonly embedding: {
    /** Components found (≤ 50); rows beyond are zero. */
    readonly rank: number;
    readonly singularValues: Float64Array;
    /** Divisor per embedding slot (length 50). */
    readonly scale: Float64Array;
    /**
     * Term-major `vocabulary × 50`: entries `[t·50, t·50 + 50)` are term t's
     * weights on the 50 unit right singular vectors (columns ≥ rank are 0).
     */
    readonly projection: Float32Array;
  };
  readonly sources: SourceTable;
}

function largestDocuments(priors: ReadonlyMap<string, SourcePrior>): number {
  let max = 0;
  for (const p of priors.values()) if (p.documents > max) max = p.documents;
  return max;
}

function invalid(where: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('CS_ERR_ARTEFACT_INVALID', `${where}: ${message}`, { details });
}

function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat32(data: string, expected: number, where: string): Float32Array {
  const bytes = Buffer.from(data, 'base64');
  // Buffer skips characters outside the alphabet; a canonical file re-encodes to itself.
  if (bytes.toString('base64') !== data) {
    throw invalid(where, 'embedding.projection.data is not canonical base64');
  }
  if (bytes.length !== expected * 4) {
    throw invalid(
      where,
      `embedding.projection holds ${bytes.length / 4} numbers, expected ${expected} (vocabulary × 50)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v) || Math.abs(v) > 1 + 1e-3) {
      throw invalid(where, `embedding.projection entry ${i} is ${v}; entries of unit vectors lie in [-1, 1]`);
    }
    out[i] = v;
  }
  return out;
}

/** Converts artefacts to their on-disk JSON value (format version 1). */
export function toFeatureArtefactsFile(a: FeatureArtefacts): FeatureArtefactsV1 {
  const priors: Record<string, SourcePrior> = {};
  for (const [key, p] of [...a.sources.priors].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    Object.defineProperty(priors, key, {
      value: { reputation: p.reputation, observations: p.observations, documents: p.documents },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    format: 'cyberstreams-features',
    formatVersion: 1,
    featureSpecVersion: a.featureSpecVersion,
    fit: { ...a.fit },
    vocabulary: [...a.vocabulary],
    idf: Array.from(a.idf),
    embedding: {
      dimensions: 50,
      rank: a.embedding.rank,
      singularValues: Array.from(a.embedding.singularValues),
      scale: Array.from(a.embedding.scale),
      projection: { encoding: 'float32le-base64', data: encodeFloat32(a.embedding.projection) },
    },
    sources: { defaultReputation: a.sources.defaultReputation, maxDocuments: a.sources.maxDocuments, priors },
  };
}

/** Serialises artefacts to the text of `features.json` (stable key order, so equal artefacts give equal files). */
export function serializeFeatureArtefacts(a: FeatureArtefacts): string {
  return `${JSON.stringify(toFeatureArtefactsFile(a))}\n`;
}

let compiledCheck: ((value: unknown) => value is FeatureArtefactsV1) | undefined;

function checker(): (value: unknown) => value is FeatureArtefactsV1 {
  const compiled = Compile(FeatureArtefactsV1Schema);
  return (value: unknown): value is FeatureArtefactsV1 => compiled.Check(value);
}

const Probe = Type.Object({ format: Type.Literal('cyberstreams-features'), formatVersion: Type.Integer() });

/**
 * Checks a parsed `features.json` value and builds the in-memory artefacts.
 *
 * @param where names the file in error messages.
 * @throws AppError CS_ERR_ARTEFACT_INVALID for a malformed file (every problem
 *   named), CS_ERR_MODEL_INCOMPATIBLE for a format or feature-spec version this
 *   build does not read.
 */
export function fromFeatureArtefactsFile(raw: unknown, where: string = FEATURES_FILE): FeatureArtefacts {
  const probe = validate(Probe, raw, `${where} (not a feature artefacts file?)`, 'CS_ERR_ARTEFACT_INVALID');
  if (probe.formatVersion !== CURRENT_ARTEFACTS_FORMAT) {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `${where}: feature artefacts format version ${probe.formatVersion} is not supported by this build (it reads ${CURRENT_ARTEFACTS_FORMAT})`,
      { details: { formatVersion: probe.formatVersion, supported: [CURRENT_ARTEFACTS_FORMAT] } },
    );
  }
  compiledCheck ??= checker();
  // The compiled check takes ~70 ms on a 20k-term file where the interpreted one takes ~300 ms;
  // validate() runs only on failure, to name the problems.
  const file = compiledCheck(raw)
    ? raw
    : validate(FeatureArtefactsV1Schema, raw, where, 'CS_ERR_ARTEFACT_INVALID');
  if (file.featureSpecVersion !== FEATURE_SPEC_VERSION) {
    throw new AppError(
      'CS_ERR_MODEL_INCOMPATIBLE',
      `${where}: fitted for feature spec ${file.featureSpecVersion}, but this build computes spec ${FEATURE_SPEC_VERSION}; refit the artefacts (and retrain the model)`,
      { details: { featureSpecVersion: file.featureSpecVersion, expected: FEATURE_SPEC_VERSION } },
    );
  }
  const size = file.vocabulary.length;
  if (file.idf.length !== size) {
    throw invalid(where, `idf has ${file.idf.length} entries for ${size} vocabulary terms`);
  }
  const termIndex = new Map<string, number>();
  file.vocabulary.forEach((term, i) => {
    if (termIndex.has(term)) throw invalid(where, `vocabulary term "${term}" appears twice`);
    termIndex.set(term, i);
  });
  if (file.fit.ngramMax === 1 && file.vocabulary.some((t) => t.includes(' '))) {
    throw invalid(where, 'vocabulary has bigrams but fit.ngramMax is 1');
  }
  const { embedding } = file;
  if (embedding.singularValues.length !== embedding.rank) {
    throw invalid(
      where,
      `embedding has ${embedding.singularValues.length} singular values for rank ${embedding.rank}`,
    );
  }
  const projection = decodeFloat32(embedding.projection.data, EMBEDDING_DIMENSIONS * size, where);
  for (let t = 0; t < size; t++) {
    for (let d = embedding.rank; d < EMBEDDING_DIMENSIONS; d++) {
      if (projection[t * EMBEDDING_DIMENSIONS + d] !== 0) {
        throw invalid(
          where,
          `embedding component ${d} is beyond rank ${embedding.rank} but not zero (term ${t})`,
        );
      }
    }
  }
  const priors = new Map<string, SourcePrior>();
  for (const [key, p] of Object.entries(file.sources.priors)) priors.set(key, Object.freeze({ ...p }));
  const maxDocuments = largestDocuments(priors);
  if (file.sources.maxDocuments !== maxDocuments) {
    throw invalid(
      where,
      `sources.maxDocuments is ${file.sources.maxDocuments}, but the largest prior has ${maxDocuments} documents`,
    );
  }
  return Object.freeze({
    featureSpecVersion: file.featureSpecVersion,
    fit: Object.freeze({ ...file.fit }),
    vocabulary: Object.freeze([...file.vocabulary]),
    termIndex,
    idf: Float64Array.from(file.idf),
    embedding: Object.freeze({
      rank: embedding.rank,
      singularValues: Float64Array.from(embedding.singularValues),
      scale: Float64Array.from(embedding.scale),
      projection,
    }),
    sources: Object.freeze({
      defaultReputation: file.sources.defaultReputation,
      maxDocuments,
      priors,
    }),
  });
}

/**
 * Parses the text of a `features.json` file into artefacts (see
 * {@link fromFeatureArtefactsFile} for the checks and errors).
 *
 * @throws AppError CS_ERR_ARTEFACT_INVALID when `text` is not JSON.
 */
export function parseFeatureArtefacts(text: string, where: string = FEATURES_FILE): FeatureArtefacts {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${where} is not valid JSON`, { cause });
  }
  return fromFeatureArtefactsFile(raw, where);
}

/**
 * Returns a copy of `artefacts` whose source priors are replaced or added from
 * `updates` (keys are source names, normalised here with `sourceKey`). The learning
 * loop uses it after {@link updateSourceReputation}; embedding and vocabulary
 * are shared, not copied.
 */
export function withSourcePriors(
  artefacts: FeatureArtefacts,
  updates: ReadonlyMap<string, SourcePrior>,
): FeatureArtefacts {
  const priors = new Map(artefacts.sources.priors);
  for (const [name, prior] of updates) {
    const key = sourceKey(name);
    if (key === undefined)
      throw new AppError('CS_ERR_VALIDATION', 'A source prior needs a non-empty source name');
    if (!(prior.reputation >= 0 && prior.reputation <= 1)) {
      throw new AppError(
        'CS_ERR_VALIDATION',
        `Reputation of ${key} must be in [0, 1], got ${prior.reputation}`,
      );
    }
    priors.set(key, Object.freeze({ ...prior }));
  }
  const maxDocuments = largestDocuments(priors);
  return Object.freeze({
    ...artefacts,
    sources: Object.freeze({ defaultReputation: artefacts.sources.defaultReputation, maxDocuments, priors }),
  });
}
