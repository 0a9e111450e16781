import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../core/index.js';
import type { ImportOptions } from './import-options.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/** True when the file starts with the gzip magic bytes (whatever its name). */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * Opens a file as a text stream, gunzipping it when it is gzip. Progress is
 * reported in bytes of the file on disk. Throws `CS_ERR_INPUT_UNREADABLE` when
 * the file cannot be opened.
 */
export async function openText(path: string, options: ImportOptions = {}): Promise<Readable> {
  let size: number;
  let gz: boolean;
  try {
    size = (await stat(path)).size;
    gz = await isGzipFile(path);
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}`, { cause, details: { path } });
  }
  const raw = createReadStream(path);
  if (options.onProgress) {
    const report = options.onProgress;
    let done = 0;
    let last = 0;
    raw.on('data', (chunk) => {
      done += chunk.length;
      if (done - last >= 65536 || done === size) {
        last = done;
        report({ done, total: size, unit: 'bytes' });
      }
    });
  }
  if (!gz) return raw.setEncoding('utf8');
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip).setEncoding('utf8');
}

/** One line of a text file with its 1-based line number. */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * Streams the lines of a (possibly gzipped) text file in constant memory;
 * blank lines are left out. A corrupt gzip stream ends the iteration with
 * `CS_ERR_INPUT_UNREADABLE`.
 */
export async function* readLines(path: string, options: ImportOptions = {}): AsyncGenerator<NumberedLine> {
  const input = await openText(path, options);
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim() !== '') yield { line, text };
    }
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path}: read failed after line ${line}`, {
      cause,
      details: { path, line },
    });
  } finally {
    rl.close();
    input.destroy();
  }
}
