import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Type from 'typebox';
import { AppError, validate } from '../core/index.js';
import { HashingFeaturizer } from './featurizer.js';
import { activate } from './linear-model.js';
import {
  TECHNIQUE_MANIFEST_VERSION,
  TECHNIQUE_MODEL_FAMILY,
  type TechniqueManifest,
  TechniqueManifestV1Schema,
} from './manifest.js';
import { splitSentences } from './sentences.js';
import { decide } from './thresholds.js';
import { decodeWeights, type QuantizedLinear, sparseRows } from './weights-file.js';

/** One technique found in one sentence. `score` is the model's probability in [0, 1]. */
export interface SentenceTechnique {
  id: string;
  name?: string;
  score: number;
}

/** A sentence that supports a technique: its text, offsets into the document (UTF-16 units), score. */
export interface SupportingSentence {
  text: string;
  start: number;
  end: number;
  score: number;
}

/** A technique found in a document: its best sentence score and every supporting sentence in text order. */
export interface DocumentTechnique {
  id: string;
  name?: string;
  /** The highest score of its supporting sentences. */
  score: number;
  sentences: SupportingSentence[];
}

/** The techniques of a document, highest score first; empty when no sentence describes one. */
export interface DocumentMapping {
  techniques: DocumentTechnique[];
}

/** A loaded technique model. Pure and synchronous after loading; safe to share between requests. */
export interface TechniqueModel {
  readonly manifest: TechniqueManifest;
  /** Technique ids the model can predict, in output order. */
  readonly labels: readonly string[];
  /** Scores of every label for one sentence, in `labels` order. */
  scoreSentence(text: string): Float32Array;
  /** Techniques whose score reaches their threshold, best first (empty: "no technique"). */
  mapSentence(text: string): SentenceTechnique[];
  /** Splits `text` into sentences, maps each, and groups the sentences by technique. */
  mapDocument(text: string): DocumentMapping;
}

/** File names inside a model directory. */
export const MODEL_FILES = Object.freeze({ manifest: 'manifest.json' });

const NamesSchema = Type.Record(Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }), Type.String());

/** Builds a model from its parts (already validated); `loadTechniqueModel` and the trainer use it. */
export function createTechniqueModel(
  manifest: TechniqueManifest,
  weights: QuantizedLinear,
  names: Readonly<Record<string, string>>,
): TechniqueModel {
  const labels = manifest.labels;
  const featurizer = new HashingFeaturizer(manifest.featurizer);
  const thresholds = Float64Array.from(manifest.decision.thresholds);
  const maxPerSentence = manifest.decision.maxPerSentence;
  const named = (id: string, score: number): SentenceTechnique => {
    const name = names[id];
    return name === undefined ? { id, score } : { id, name, score };
  };
  // Scratch of the scores: mapping is synchronous, so one buffer serves every call.
  const z = new Float32Array(weights.outputs);
  const rows = sparseRows(weights);
  /** Probabilities of every output for `text` in `z` (labels first, then "no technique"). */
  const probabilitiesOf = (text: string): Float32Array =>
    activate(manifest.classifier.output, featurizer.logits(text, weights, rows, z));
  const scoreSentence = (text: string): Float32Array => probabilitiesOf(text).slice(0, labels.length);
  const mapSentence = (text: string): SentenceTechnique[] => {
    const scores = probabilitiesOf(text);
    return decide(scores, thresholds, maxPerSentence).map((k) =>
      named(labels[k] as string, scores[k] as number),
    );
  };
  const mapDocument = (text: string): DocumentMapping => {
    const found = new Map<string, DocumentTechnique>();
    for (const sentence of splitSentences(text)) {
      for (const t of mapSentence(sentence.text)) {
        let entry = found.get(t.id);
        if (entry === undefined) {
          entry = { ...named(t.id, t.score), sentences: [] };
          found.set(t.id, entry);
        }
        entry.score = Math.max(entry.score, t.score);
        entry.sentences.push({
          text: sentence.text,
          start: sentence.start,
          end: sentence.end,
          score: t.score,
        });
      }
    }
    return { techniques: [...found.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)) };
  };
  return { manifest, labels, scoreSentence, mapSentence, mapDocument };
}

function incompatible(dir: string, reason: string, cause?: unknown): AppError {
  return new AppError(
    'CS_ERR_MODEL_INCOMPATIBLE',
    `The technique model in ${dir} cannot be used: ${reason}`,
    {
      cause,
      details: { dir, reason },
    },
  );
}

function readFile(dir: string, name: string): Buffer {
  try {
    return readFileSync(join(dir, name));
  } catch (cause) {
    throw new AppError('CS_ERR_MODEL_NOT_LOADED', `No technique model at ${dir}: cannot read ${name}`, {
      cause,
      details: { dir, file: name },
    });
  }
}

/** Reads and checks a model directory's manifest: CS_ERR_MODEL_INCOMPATIBLE for another format or family. */
export function readTechniqueManifest(dir: string): TechniqueManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(dir, MODEL_FILES.manifest).toString('utf8')) as unknown;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw incompatible(dir, 'manifest.json is not JSON', cause);
  }
  const head = (raw ?? {}) as { formatVersion?: unknown; family?: unknown };
  if (head.family !== TECHNIQUE_MODEL_FAMILY) {
    throw incompatible(dir, `family ${JSON.stringify(head.family)} is not ${TECHNIQUE_MODEL_FAMILY}`);
  }
  if (head.formatVersion !== TECHNIQUE_MANIFEST_VERSION) {
    throw incompatible(dir, `manifest format ${JSON.stringify(head.formatVersion)} is not supported`);
  }
  let manifest: TechniqueManifest;
  try {
    manifest = validate(TechniqueManifestV1Schema, raw, 'manifest.json', 'CS_ERR_MODEL_INCOMPATIBLE');
  } catch (cause) {
    throw incompatible(dir, (cause as Error).message, cause);
  }
  if (manifest.decision.thresholds.length !== manifest.labels.length) {
    throw incompatible(dir, 'decision.thresholds and labels differ in length');
  }
  return manifest;
}

/**
 * Loads the technique model in `dir` (synchronously: meant for start-up).
 * Errors: CS_ERR_MODEL_NOT_LOADED when a file is missing; CS_ERR_MODEL_INCOMPATIBLE when
 * the manifest is of another format, family or shape than this build reads;
 * CS_ERR_ARTEFACT_INVALID when the weights are corrupt or do not match the manifest.
 */
export function loadTechniqueModel(dir: string): TechniqueModel {
  const manifest = readTechniqueManifest(dir);
  const bytes = readFile(dir, manifest.weights.file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.weights.sha256) {
    throw new AppError(
      'CS_ERR_ARTEFACT_INVALID',
      `Technique model weights in ${dir} do not match the manifest`,
      {
        details: { dir, expected: manifest.weights.sha256, actual: sha },
      },
    );
  }
  const weights = decodeWeights(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const outputs = manifest.labels.length + (manifest.classifier.noneOutput ? 1 : 0);
  if (weights.dim !== manifest.featurizer.dim || weights.outputs !== outputs) {
    throw incompatible(
      dir,
      `weights have ${weights.dim} buckets and ${weights.outputs} outputs, manifest wants ${manifest.featurizer.dim} and ${outputs}`,
    );
  }
  let namesRaw: unknown;
  try {
    namesRaw = JSON.parse(readFile(dir, manifest.namesFile).toString('utf8')) as unknown;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('CS_ERR_ARTEFACT_INVALID', `${manifest.namesFile} in ${dir} is not JSON`, { cause });
  }
  const names = validate(NamesSchema, namesRaw, manifest.namesFile, 'CS_ERR_ARTEFACT_INVALID');
  return createTechniqueModel(manifest, weights, names);
}

/** What {@link saveTechniqueModel} writes: the manifest without the weights hash, the encoded weights, names. */
export interface TechniqueModelFiles {
  manifest: Omit<TechniqueManifest, 'weights'> & { weights: Omit<TechniqueManifest['weights'], 'sha256'> };
  weights: Uint8Array;
  names: Record<string, string>;
}

/** Writes a model directory (created if missing) and returns the complete manifest. */
export function saveTechniqueModel(dir: string, files: TechniqueModelFiles): TechniqueManifest {
  const sha256 = createHash('sha256').update(files.weights).digest('hex');
  const manifest: TechniqueManifest = { ...files.manifest, weights: { ...files.manifest.weights, sha256 } };
  validate(TechniqueManifestV1Schema, manifest, 'technique model manifest', 'CS_ERR_INTERNAL');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, manifest.weights.file), files.weights);
  writeFileSync(join(dir, manifest.namesFile), `${JSON.stringify(files.names, null, 2)}\n`);
  writeFileSync(join(dir, MODEL_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
