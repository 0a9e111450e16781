import { pipeline } from 'node:stream';
import Pick from 'stream-json/filters/Pick.js';
import Parser from 'stream-json/Parser.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { AppError } from '../core/index.js';
import type { ImportOptions } from './import-options.js';
import { openText } from './read-lines.js';

/**
 * Streams the elements of the array under top-level key `key` of one big
 * (possibly gzipped) JSON file, in constant memory. A syntax error ends the
 * stream with `CS_ERR_INPUT_UNREADABLE` (a JSON document cannot be resynchronised).
 */
export async function* streamJsonArray(
  path: string,
  key: string,
  options: ImportOptions = {},
): AsyncGenerator<{ index: number; value: unknown }> {
  const text = await openText(path, options);
  const out = pipeline(text, Parser.parser(), Pick.pick({ filter: key }), StreamArray.streamArray(), () => {
    // Errors surface through the async iteration below.
  });
  let index = 0;
  try {
    for await (const item of out as AsyncIterable<{ key: number; value: unknown }>) {
      yield { index: item.key, value: item.value };
      index = item.key + 1;
    }
  } catch (cause) {
    throw new AppError(
      'CS_ERR_INPUT_UNREADABLE',
      `${path}: JSON could not be parsed after element ${index} of "${key}"`,
      {
        cause,
        details: { path, index },
      },
    );
  } finally {
    out.destroy();
  }
}
