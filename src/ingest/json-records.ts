import { opendir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../core/index.js';
import type { ImportOptions } from './import-options.js';
import { isGzipFile, readLines } from './read-lines.js';

/** One JSON value read from an input, or the reason it could not be parsed. */
export type JsonRecord = { where: string; value: unknown } | { where: string; error: string };

/** Largest single-JSON file read whole (a single record); bigger files must be JSON lines or streamed. */
export const MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a whole (possibly gzipped) JSON file of bounded size. */
export async function readWholeJson(path: string): Promise<unknown> {
  const size = (await stat(path)).size;
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new AppError(
      'CS_ERR_INPUT_UNREADABLE',
      `${path} is ${size} bytes; single JSON files over 64 MiB are not read whole`,
      {
        details: { path, size },
      },
    );
  }
  const buf = await readFile(path);
  const text = (await isGzipFile(path)) ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return JSON.parse(text);
}

/**
 * Streams JSON values from a file: JSON lines (one value per line, gzip
 * allowed), or, when the first line is not a complete JSON value, the whole
 * file as one value (a pretty-printed single record). A line that does not
 * parse is yielded as an error record and reading goes on.
 */
export async function* readJsonRecords(
  path: string,
  options: ImportOptions = {},
): AsyncGenerator<JsonRecord> {
  let first = true;
  for await (const { line, text } of readLines(path, options)) {
    const where = `${path}:${line}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (first) {
        // Not JSON lines: a single pretty-printed value.
        try {
          yield { where: path, value: await readWholeJson(path) };
        } catch (cause) {
          if (cause instanceof AppError) throw cause;
          yield { where: path, error: `not JSON lines and not one JSON value: ${(cause as Error).message}` };
        }
        return;
      }
      yield { where, error: `line is not valid JSON: ${(err as Error).message}` };
      continue;
    }
    first = false;
    yield { where, value };
  }
}

/**
 * Walks a directory tree laid out like the CVE list (`cves/2024/1xxx/CVE-2024-1234.json`)
 * in sorted order and yields each `CVE-*.json` file's parsed content. Other files are ignored.
 */
export async function* readCveTree(root: string, options: ImportOptions = {}): AsyncGenerator<JsonRecord> {
  let files = 0;
  async function* walk(dir: string): AsyncGenerator<JsonRecord> {
    const entries: { name: string; isDir: boolean }[] = [];
    for await (const e of await opendir(dir)) entries.push({ name: e.name, isDir: e.isDirectory() });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDir) {
        yield* walk(path);
      } else if (/^CVE-\d{4}-\d+\.json$/.test(e.name)) {
        files++;
        if (files % 100 === 0) options.onProgress?.({ done: files, total: 0, unit: 'files' });
        try {
          yield { where: path, value: JSON.parse(await readFile(path, 'utf8')) };
        } catch (err) {
          yield { where: path, error: `file is not valid JSON: ${(err as Error).message}` };
        }
      }
    }
  }
  try {
    yield* walk(root);
  } finally {
    options.onProgress?.({ done: files, total: files, unit: 'files' });
  }
}
