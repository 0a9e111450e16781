import { resolve } from 'node:path';
import { importCve5 } from '../../src/ingest/index.js';

/** The first `count` typical CVE descriptions of the test split (published from 2024-08, 300-500 characters), in file order. */
export async function typicalTestTexts(file: string, count: number): Promise<string[]> {
  const texts: string[] = [];
  for await (const d of importCve5(resolve(file))) {
    if (d.published === undefined || d.published.slice(0, 7) < '2024-08') continue;
    if (d.text.length < 300 || d.text.length > 500) continue;
    texts.push(d.text);
    if (texts.length >= count) break;
  }
  return texts;
}
