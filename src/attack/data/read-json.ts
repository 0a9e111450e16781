import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../../core/index.js';

/** Reads a file as UTF-8, gunzipping it when its name ends in `.gz`. Throws CS_ERR_INPUT_UNREADABLE. */
export function readTextFile(path: string): string {
  try {
    const raw = readFileSync(path);
    return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}`, { cause, details: { path } });
  }
}

/** Parses a JSON (optionally gzipped) file. Throws CS_ERR_INPUT_UNREADABLE when it is not JSON. */
export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path} is not valid JSON`, { cause, details: { path } });
  }
}

/** Parses a JSON-lines (optionally gzipped) file; blank lines are skipped. Errors name the line. */
export function readJsonLinesFile(path: string): unknown[] {
  const out: unknown[] = [];
  const lines = readTextFile(path).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as unknown);
    } catch (cause) {
      throw new AppError('CS_ERR_INPUT_UNREADABLE', `${path}:${i + 1} is not valid JSON`, {
        cause,
        details: { path, line: i + 1 },
      });
    }
  }
  return out;
}
