import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fixedClock } from '../../../src/core/index.js';
import type { LabelledDoc } from '../../../src/ingest/index.js';
import {
  createRng,
  DEFAULT_HASHED_SETTINGS,
  type HashedTrainSettings,
  type SeverityClass,
  trainHashedSeverity,
  writeModelDir,
} from '../../../src/model/index.js';

/**
 * Synthetic severity texts for the learning tests, written for them (no
 * outside data): each class has its own cue words, mixed with shared filler,
 * so a tiny model learns them in well under a second. A made-up term
 * ("zorblat") marks a new kind of flaw the base data never shows: analysts
 * teach it through feedback.
 */
const CUES: Record<SeverityClass, string[]> = {
  critical: ['remote code execution', 'unauthenticated attacker', 'full system compromise', 'wormable'],
  high: ['privilege escalation', 'local user gains root', 'authentication bypass', 'sql injection'],
  medium: ['cross-site scripting', 'reflected input', 'open redirect', 'csrf token missing'],
  low: ['information disclosure', 'version banner', 'verbose error message', 'timing difference'],
  informational: ['documentation update', 'no security impact', 'hardening guidance', 'advisory notes'],
};

const FILLER = [
  'the',
  'vendor',
  'component',
  'module',
  'service',
  'in',
  'of',
  'via',
  'when',
  'handling',
  'requests',
  'parser',
  'library',
  'plugin',
  'server',
  'client',
  'version',
  'before',
  'allows',
  'affected',
];

const PRODUCTS = ['acme router', 'widget cms', 'foo daemon', 'bar gateway', 'baz portal', 'qux agent'];

/** The five classes in the model's order. */
export const CLASSES: readonly SeverityClass[] = ['critical', 'high', 'medium', 'low', 'informational'];

/** A text of `label` with the class's cues (or `zorblat` cues when `novel`), seeded. */
function text(label: SeverityClass, rng: ReturnType<typeof createRng>, novel: boolean): string {
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)] as T;
  const words: string[] = [pick(PRODUCTS)];
  const cues = novel ? ['zorblat flaw', 'zorblat condition'] : CUES[label];
  for (let i = 0; i < 2; i++) words.push(pick(cues));
  for (let i = 0; i < 6; i++) words.push(pick(FILLER));
  words.push(`build ${rng.int(100_000)}`);
  // Shuffle so order carries no label.
  for (let i = words.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [words[i], words[j]] = [words[j] as string, words[i] as string];
  }
  return words.join(' ');
}

/** `n` labelled base documents, classes balanced, seeded. */
export function baseDocs(n: number, seed: number, idPrefix = 'base'): LabelledDoc[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = CLASSES[i % CLASSES.length] as SeverityClass;
    return {
      id: `${idPrefix}-${i}`,
      text: text(label, rng, false),
      label,
      labelSource: 'given' as const,
      cwes: [],
      format: 'jsonl' as const,
      source: i % 3 === 0 ? 'cna-one' : 'cna-two',
    };
  });
}

/** `n` texts of the novel "zorblat" kind (true label critical), seeded. */
export function novelTexts(n: number, seed: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => text('critical', rng, true));
}

/** Writes documents as JSON lines (`{id, text, label, source}`). */
export function writeJsonl(path: string, docs: readonly LabelledDoc[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    docs.map((d) => JSON.stringify({ id: d.id, text: d.text, label: d.label, source: d.source })).join('\n') +
      '\n',
  );
}

/** Settings of a tiny hashed model that trains in milliseconds. */
export const TINY_SETTINGS: HashedTrainSettings = {
  ...DEFAULT_HASHED_SETTINGS,
  features: { ...DEFAULT_HASHED_SETTINGS.features, buckets: 2 ** 12, charMin: 3, charMax: 4 },
  cvssHeads: false,
  outputMode: 'direct',
  epochs: 6,
  learningRate: 0.05,
  precision: 'float32',
  refitOnValidation: false,
  sourceDropout: 0,
};

/** Trains a tiny hashed model on `docs` (last 20 % for calibration) and writes it to `dir`. Returns its version. */
export async function writeTinyModel(dir: string, docs: readonly LabelledDoc[]): Promise<string> {
  const cut = Math.floor(docs.length * 0.8);
  const result = trainHashedSeverity(
    {
      train: docs.slice(0, cut),
      validation: docs.slice(cut),
      test: [],
      report: {
        files: ['synthetic'],
        imported: docs.length,
        skipped: 0,
        skipReasons: {},
        unlabelled: 0,
        unplaced: 0,
        dedup: {
          trainInLaterSplits: 0,
          validationInTest: 0,
          trainDuplicatesMerged: 0,
          trainConflictsDropped: 0,
        },
        labellingFunctions: [],
        weakInformational: 0,
        counts: {},
      },
    },
    TINY_SETTINGS,
    { clock: fixedClock(Date.UTC(2026, 0, 1)) },
  );
  await writeModelDir(dir, result.manifest, result.files);
  return result.manifest.version;
}
