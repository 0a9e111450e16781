import { open, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../core/index.js';
import { importCve5 } from './cve5-import.js';
import type { ImportOptions } from './import-options.js';
import { importLabelledJsonl } from './jsonl-labelled.js';
import type { DocFormat, LabelledDoc } from './labelled-doc.js';
import { importNvd2 } from './nvd2.js';
import { isGzipFile } from './read-lines.js';
import { importStix21, type StixImportOptions } from './stix21.js';

/** Formats `importDocuments` reads (TRAM files have their own reader). */
export type ImportFormat = Exclude<DocFormat, 'tram'>;

/** Every format name accepted by `importDocuments`, for CLI validation. */
export const IMPORT_FORMATS: readonly ImportFormat[] = Object.freeze(['cve5', 'nvd2', 'stix21', 'jsonl']);

const HEAD_BYTES = 65536;

async function head(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const bytes = buf.subarray(0, bytesRead);
    if (!(await isGzipFile(path))) return bytes.toString('utf8');
    // A truncated gzip member: decode what can be decoded.
    try {
      return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('utf8');
    } catch {
      return '';
    }
  } finally {
    await handle.close();
  }
}

/**
 * Tells the format of an input from its first 64 KiB: a directory is a CVE
 * list tree; `cveMetadata` means CVE JSON 5; `vulnerabilities` with `cve`
 * means NVD API 2.0; a `bundle` type means STIX 2.1; a first line that is an
 * object with `text` means labelled JSON lines. Throws `CS_ERR_INPUT_UNREADABLE`
 * when it cannot tell.
 */
export async function detectFormat(path: string): Promise<ImportFormat> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}`, { cause, details: { path } });
  }
  if (isDir) return 'cve5';
  const text = await head(path);
  if (/"cveMetadata"\s*:/.test(text)) return 'cve5';
  if (/"vulnerabilities"\s*:/.test(text) && /"cve"\s*:/.test(text)) return 'nvd2';
  if (/"type"\s*:\s*"bundle"/.test(text)) return 'stix21';
  const firstLine = text.split('\n', 1)[0] ?? '';
  try {
    const first = JSON.parse(firstLine) as unknown;
    if (
      first !== null &&
      typeof first === 'object' &&
      typeof (first as { text?: unknown }).text === 'string'
    ) {
      return 'jsonl';
    }
  } catch {
    // fall through: not JSON lines
  }
  throw new AppError(
    'CS_ERR_INPUT_UNREADABLE',
    `Cannot tell the format of ${path}; expected CVE JSON 5, NVD API 2.0, a STIX 2.1 bundle or JSON lines with "text"`,
    { details: { path, formats: IMPORT_FORMATS } },
  );
}

/**
 * Imports documents from `path` in the given format, or the detected one
 * (see {@link detectFormat}). Streams in constant memory; skipped records go to
 * `options.onSkip` with their reason and never stop the import.
 */
export async function* importDocuments(
  path: string,
  options: StixImportOptions & { format?: ImportFormat } = {},
): AsyncGenerator<LabelledDoc> {
  const format = options.format ?? (await detectFormat(path));
  switch (format) {
    case 'cve5':
      yield* importCve5(path, options);
      return;
    case 'nvd2':
      yield* importNvd2(path, options);
      return;
    case 'stix21':
      yield* importStix21(path, options);
      return;
    case 'jsonl':
      yield* importLabelledJsonl(path, options);
      return;
  }
}

/** Collects every document of an import into an array (small inputs and tests). */
export async function collect(docs: AsyncIterable<LabelledDoc>): Promise<LabelledDoc[]> {
  const out: LabelledDoc[] = [];
  for await (const d of docs) out.push(d);
  return out;
}

export type { ImportOptions };
