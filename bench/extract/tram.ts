import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * Reads the report texts of TRAM's annotated reports
 * (`annotated-reports.jsonl.gz`: one `{file, report}` per line, the text in
 * `report.signal`). Lines without a text are counted, not fatal.
 */
export async function loadTramTexts(path: string): Promise<{ texts: string[]; skipped: number }> {
  const lines = gunzipSync(await readFile(path))
    .toString('utf8')
    .split('\n');
  const texts: string[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { report?: { signal?: unknown } };
    const text = row.report?.signal;
    if (typeof text === 'string' && text.length > 0) texts.push(text);
    else skipped++;
  }
  return { texts, skipped };
}
