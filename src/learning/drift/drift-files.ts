import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import {
  type FeatureArtefacts,
  type FeatureDocument,
  featurize,
  fitFeatureArtefacts,
  parseFeatureArtefacts,
  parsePublished,
  serializeFeatureArtefacts,
} from '../../features/index.js';
import { type ModelManifest, SEVERITY_CLASSES, type SeverityModel } from '../../model/index.js';
import {
  buildDriftReference,
  DRIFT_REFERENCE_FILE,
  type DriftReference,
  parseDriftReference,
} from './reference.js';

/** File of the feature artefacts fitted for drift when a model has none of its own. */
export const DRIFT_FEATURES_FILE = 'drift-features.json';

/** A document for drift: text and the optional context the features read. */
export interface DriftDocument {
  text: string;
  source?: string;
  published?: string;
}

/**
 * The reference time a document is featurized at for drift, on both sides
 * (training reference and live traffic): its publication time when it has a
 * valid one, else `now` (as the TF.js model does), so document age does not
 * drift merely because training data is older than live traffic.
 */
export function driftReferenceTime(published: string | undefined, now: number): number {
  const p = parsePublished(published);
  return p === undefined ? now : p.ms;
}

/** The 128-slot vector of a document for drift. */
export function driftVector(artefacts: FeatureArtefacts, doc: DriftDocument, now: number): Float32Array {
  const d: FeatureDocument = {
    text: doc.text,
    ...(doc.source === undefined ? {} : { source: doc.source }),
    ...(doc.published === undefined ? {} : { published: doc.published }),
  };
  return featurize(d, { artefacts, referenceTime: driftReferenceTime(doc.published, now) });
}

/** Options of {@link writeDriftReference}. */
export interface WriteDriftReferenceOptions {
  /** Documents of the reference (a sample of the training data), at most `maxDocs` used. */
  docs: readonly DriftDocument[];
  /** The model whose predicted-class mix is the reference mix. */
  model: SeverityModel;
  /** The model's own feature artefacts; absent: artefacts are fitted on `docs` and saved beside the reference. */
  artefacts?: FeatureArtefacts;
  description: string;
  /** "Now" for documents without a publication time. */
  now: number;
  /** Most documents used. Default 2,000. */
  maxDocs?: number;
  /** Seed of the artefact fit. Default 42. */
  seed?: number;
}

/**
 * Computes and writes `drift-reference.json` (and `drift-features.json` when
 * artefacts had to be fitted) into `dir`: per-slot quantile bins and KS
 * samples of the documents' vectors, and the model's predicted-class mix on them.
 */
export async function writeDriftReference(
  dir: string,
  o: WriteDriftReferenceOptions,
): Promise<DriftReference> {
  const max = o.maxDocs ?? 2_000;
  // Evenly spaced, so the sample spans the whole (time-ordered) training data.
  const step = Math.max(1, o.docs.length / max);
  const docs: DriftDocument[] = [];
  for (let i = 0; i < o.docs.length && docs.length < max; i = Math.floor(docs.length * step))
    docs.push(o.docs[i]!);
  let artefacts = o.artefacts;
  let featuresFile: string | null = null;
  if (artefacts === undefined && docs.length > 0) {
    // Small vocabulary and words only: drift needs a stable projection, not the best one.
    artefacts = fitFeatureArtefacts(
      docs.map((d) => ({ text: d.text, ...(d.source === undefined ? {} : { source: d.source }) })),
      { seed: o.seed ?? 42, maxVocabulary: 5_000, ngramMax: 1, minDocumentFrequency: 2 },
    );
    featuresFile = DRIFT_FEATURES_FILE;
    await writeFile(join(dir, DRIFT_FEATURES_FILE), serializeFeatureArtefacts(artefacts));
  }
  const vectors = artefacts === undefined ? [] : docs.map((d) => driftVector(artefacts, d, o.now));
  const predicted = o.model
    .predictBatch(
      docs.map((d) => ({ text: d.text, ...(d.source === undefined ? {} : { source: d.source }) })),
    )
    .map((p) => SEVERITY_CLASSES.indexOf(p.severity));
  const reference = buildDriftReference(vectors, predicted, {
    classes: SEVERITY_CLASSES,
    description: o.description,
    featuresFile,
  });
  await writeFile(join(dir, DRIFT_REFERENCE_FILE), `${JSON.stringify(reference)}\n`);
  return reference;
}

/** A model's drift reference and the means to featurize live traffic like it. */
export interface DriftSupport {
  reference: DriftReference;
  /** Absent when neither the model nor the reference has feature artefacts (class mix only). */
  artefacts?: FeatureArtefacts;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${path} is not valid JSON`, { cause });
  }
}

/**
 * Reads the drift reference of a model from the first of `dirs` that has one
 * (the model directory, then the registry's own directory for read-only
 * shipped models), with the feature artefacts it needs. Undefined when none has one.
 */
export async function readDriftSupport(
  dirs: readonly string[],
  manifest: ModelManifest,
): Promise<DriftSupport | undefined> {
  for (const dir of dirs) {
    let raw: unknown;
    try {
      raw = await readJson(join(dir, DRIFT_REFERENCE_FILE));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue;
      throw err;
    }
    const reference = parseDriftReference(raw, join(dir, DRIFT_REFERENCE_FILE));
    const file = reference.featuresFile ?? manifest.files.features;
    if (file === undefined) return { reference };
    const fileDir = reference.featuresFile === null ? dirs[0]! : dir;
    const artefacts = parseFeatureArtefacts(await readFile(join(fileDir, file), 'utf8'), join(fileDir, file));
    return { reference, artefacts };
  }
  return undefined;
}
