import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import Type from 'typebox';
import { Value } from 'typebox/value';
import { ANOMALY_FILES, ANOMALY_SUBDIR, loadAnomalyFeatures, readAnomalyManifest } from '../anomaly/index.js';
import { loadWarninglistIndex } from '../assets/index.js';
import { AppError, systemClock } from '../core/index.js';
import { extractIndicators } from '../extract/index.js';
import {
  explainVector,
  FEATURE_SPEC,
  FEATURES_FILE,
  type FeatureArtefacts,
  featurize,
  parseFeatureArtefacts,
  parsePublished,
} from '../features/index.js';
import type { CliContext } from './context.js';
import { usageError } from './usage.js';

/** Largest input `featurize` accepts (bytes of --file, characters of stdin): 256 MiB. */
export const FEATURIZE_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Largest artefacts file read: 512 MiB (a 20k-term file is about 6 MB). */
const MAX_ARTEFACTS_BYTES = 512 * 1024 * 1024;

/** The default --model, inside MODELS_DIR: the shipped severity model. */
const DEFAULT_MODEL_SUBDIR = 'severity';

/** How many bad lines the error message lists before "and N more". */
const MAX_REPORTED_PROBLEMS = 20;

/** One input line. Other fields (ids, labels) are allowed and ignored, so eval files can be piped in. */
const InputLine = Type.Object({
  text: Type.String(),
  source: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  published: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

interface FeaturizeCliOptions {
  file?: string;
  artefacts?: string;
  model?: string;
  referenceTime?: string;
  explain?: boolean;
  warninglists?: boolean;
  warninglistFile?: string;
  spec?: boolean;
}

interface ParsedLine {
  text: string;
  source?: string;
  published?: string;
}

async function readBytes(
  path: string,
  limit: number,
  what: string,
  code: 'CS_ERR_INPUT_UNREADABLE' | 'CS_ERR_ARTEFACT_INVALID',
): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new AppError(code, `Cannot read ${what} ${path}: it is a directory`, { details: { path } });
    if (info.size > limit) {
      throw new AppError(
        'CS_ERR_PAYLOAD_TOO_LARGE',
        `Cannot read ${what} ${path}: ${info.size} bytes is more than the ${limit} accepted`,
        {
          details: { path, size: info.size, limit },
        },
      );
    }
    return await readFile(path);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const errno = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError(code, `Cannot read ${what} ${path}: ${errno === 'ENOENT' ? 'no such file' : errno}`, {
      cause: err,
      details: { path, code: errno },
    });
  }
}

function decodeUtf8(
  bytes: Buffer,
  path: string,
  code: 'CS_ERR_INPUT_UNREADABLE' | 'CS_ERR_ARTEFACT_INVALID',
): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new AppError(code, `Cannot read ${path}: it is not UTF-8 text`, { cause: err, details: { path } });
  }
}

async function readInput(opts: FeaturizeCliOptions, ctx: CliContext): Promise<string> {
  if (opts.file !== undefined) {
    const bytes = await readBytes(opts.file, FEATURIZE_MAX_INPUT_BYTES, 'input', 'CS_ERR_INPUT_UNREADABLE');
    return decodeUtf8(bytes, opts.file, 'CS_ERR_INPUT_UNREADABLE');
  }
  let text: string;
  try {
    text = await ctx.readStdin();
  } catch (err) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read standard input: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (text.length > FEATURIZE_MAX_INPUT_BYTES) {
    throw new AppError(
      'CS_ERR_PAYLOAD_TOO_LARGE',
      `Standard input is longer than ${FEATURIZE_MAX_INPUT_BYTES} characters`,
      {
        details: { limit: FEATURIZE_MAX_INPUT_BYTES },
      },
    );
  }
  return text;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * The 128-slot feature artefacts of the model directory `dir`, in either layout:
 * `dir/features.json` (a tfjs-mlp model such as models/severity-baseline, or an
 * anomaly model directory), else those of the anomaly model in `dir/anomaly`
 * (the shipped hashed severity model: its own features are hashed n-grams, and
 * the 128-slot artefacts are the ones its anomaly detector was trained with,
 * found by the same lookup the server uses for the anomaly score).
 */
async function modelArtefacts(dir: string, isDefault: boolean): Promise<FeatureArtefacts> {
  const direct = join(dir, FEATURES_FILE);
  if (await exists(direct)) return readArtefactsFile(direct);
  const anomalyDir = join(dir, ANOMALY_SUBDIR);
  if (await exists(join(anomalyDir, ANOMALY_FILES.manifest))) {
    return loadAnomalyFeatures(anomalyDir, { manifest: await readAnomalyManifest(anomalyDir) });
  }
  const what = isDefault ? ' (the default: the shipped severity model, MODELS_DIR/severity)' : '';
  throw new AppError(
    'CS_ERR_NOT_FOUND',
    `No feature artefacts in ${dir}${what}: neither ${direct} nor an anomaly model in ${anomalyDir}. Pass --artefacts FILE (a ${FEATURES_FILE}) or --model DIR (a model directory holding ${FEATURES_FILE} or ${ANOMALY_SUBDIR}/)`,
    { details: { path: dir } },
  );
}

async function readArtefactsFile(path: string): Promise<FeatureArtefacts> {
  const bytes = await readBytes(path, MAX_ARTEFACTS_BYTES, 'feature artefacts', 'CS_ERR_ARTEFACT_INVALID');
  return parseFeatureArtefacts(decodeUtf8(bytes, path, 'CS_ERR_ARTEFACT_INVALID'), path);
}

/** Where the artefacts come from: --artefacts FILE, --model DIR, or the shipped severity model. */
async function loadArtefacts(opts: FeaturizeCliOptions, ctx: CliContext): Promise<FeatureArtefacts> {
  if (opts.artefacts !== undefined && opts.model !== undefined) {
    throw usageError('Give either --artefacts FILE or --model DIR, not both');
  }
  if (opts.artefacts !== undefined) return readArtefactsFile(opts.artefacts);
  if (opts.model !== undefined) return modelArtefacts(opts.model, false);
  return modelArtefacts(join(ctx.loadConfig().MODELS_DIR, DEFAULT_MODEL_SUBDIR), true);
}

function parseReferenceTime(value: string | undefined): number {
  if (value === undefined) return systemClock.now();
  const parsed = parsePublished(value);
  if (parsed === undefined) {
    throw usageError(
      `--reference-time must be an ISO 8601 date or date-time (e.g. 2024-08-01T00:00:00Z), got "${value}"`,
    );
  }
  return parsed.ms;
}

/**
 * Parses and validates every line before anything is printed, so a bad line
 * never leaves a half-written, misaligned output behind. Blank lines are
 * skipped (they still count for line numbers).
 */
function parseLines(input: string): ParsedLine[] {
  const docs: ParsedLine[] = [];
  const problems: string[] = [];
  const lines = input.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const n = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${n}: not valid JSON`);
      return;
    }
    if (!Value.Check(InputLine, value)) {
      const first = [...Value.Errors(InputLine, value)][0];
      const where = first?.instancePath ? first.instancePath.slice(1) : 'the line';
      problems.push(`line ${n}: ${where}: ${first?.message ?? 'invalid'}`);
      return;
    }
    const doc: ParsedLine = { text: value.text };
    if (typeof value.source === 'string') doc.source = value.source;
    if (typeof value.published === 'string') {
      if (parsePublished(value.published) === undefined) {
        problems.push(
          `line ${n}: published "${value.published.slice(0, 40)}" is not an ISO 8601 date or date-time`,
        );
        return;
      }
      doc.published = value.published;
    }
    docs.push(doc);
  });
  if (problems.length > 0) {
    const more =
      problems.length > MAX_REPORTED_PROBLEMS ? `; and ${problems.length - MAX_REPORTED_PROBLEMS} more` : '';
    throw new AppError(
      'CS_ERR_VALIDATION',
      `${problems.length} bad input line${problems.length === 1 ? '' : 's'}, nothing was featurized: ${problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ')}${more}. Each line must be {"text": string, "source"?: string, "published"?: ISO 8601 date-time}`,
      { details: { problems: problems.slice(0, MAX_REPORTED_PROBLEMS), count: problems.length } },
    );
  }
  return docs;
}

/** The shortest decimal that reads back as the same float32, so the printed numbers are exact and short. */
export function float32ToNumber(x: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

/**
 * `cyberstreams featurize [--file PATH] [--artefacts FILE | --model DIR] [--reference-time ISO] [--explain]`
 * (or `--spec`, which prints the documented slot layout):
 * reads JSON lines `{"text", "source"?, "published"?}` and prints one JSON line
 * `{"vector": [128 numbers]}` per input line (`--explain` adds the named
 * non-zero slots). All lines are validated first: any bad line fails the whole
 * run with every problem named by line number, and nothing is printed.
 */
export function registerFeaturize(program: Command, ctx: CliContext): void {
  program
    .command('featurize')
    .description(
      'compute the 128-slot feature vector of JSON lines {"text", "source"?, "published"?} from stdin or --file; prints {"vector": [...]} per line',
    )
    .option('--file <path>', 'read JSON lines from this UTF-8 file instead of stdin')
    .option('--artefacts <file>', `feature artefacts file (a ${FEATURES_FILE})`)
    .option(
      '--model <dir>',
      `model directory: its ${FEATURES_FILE}, else the artefacts of its ${ANOMALY_SUBDIR}/ model (default: MODELS_DIR/severity, the shipped model, whose ${ANOMALY_SUBDIR}/ holds them: the vectors the server's anomaly score uses)`,
    )
    .option('--reference-time <iso>', 'the "now" for age and recency, ISO 8601 (default: the current time)')
    .option('--explain', 'add "explain": the non-zero slots with their names and families')
    .option(
      '--warninglists',
      'flag indicators with the shipped MISP warninglists (fills ent.warninglisted_share)',
    )
    .option('--warninglist-file <path>', 'derived warninglist file to use with --warninglists')
    .option('--spec', 'print the feature spec (version, families, every slot documented) as JSON and exit')
    .addHelpText(
      'after',
      '\nAll input lines are validated before anything is printed: one bad line fails the run (exit 1),\nnaming every bad line by number. Blank lines are skipped. Extra fields on a line are ignored.',
    )
    .action(async (opts: FeaturizeCliOptions) => {
      if (opts.spec) {
        ctx.stdout(`${JSON.stringify(FEATURE_SPEC, null, 2)}\n`);
        return;
      }
      const referenceTime = parseReferenceTime(opts.referenceTime);
      if (opts.warninglistFile !== undefined && !opts.warninglists) {
        throw usageError('--warninglist-file needs --warninglists');
      }
      const artefacts = await loadArtefacts(opts, ctx);
      const docs = parseLines(await readInput(opts, ctx));
      const warninglists = opts.warninglists ? await loadWarninglistIndex(opts.warninglistFile) : undefined;
      const out: string[] = [];
      for (const doc of docs) {
        const extraction = extractIndicators(doc.text, warninglists === undefined ? {} : { warninglists });
        const vector = featurize(doc, { artefacts, referenceTime, extraction });
        const line: Record<string, unknown> = { vector: Array.from(vector, float32ToNumber) };
        if (opts.explain) {
          line.explain = explainVector(vector).map((s) => ({ ...s, value: float32ToNumber(s.value) }));
        }
        out.push(JSON.stringify(line));
      }
      if (out.length > 0) ctx.stdout(`${out.join('\n')}\n`);
    });
}
