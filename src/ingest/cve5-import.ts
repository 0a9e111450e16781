import { stat } from 'node:fs/promises';
import { AppError } from '../core/index.js';
import { cve5ToDoc } from './cve5-record.js';
import type { ImportOptions } from './import-options.js';
import { type JsonRecord, readCveTree, readJsonRecords } from './json-records.js';
import type { LabelledDoc } from './labelled-doc.js';

/**
 * Imports CVE JSON 5 records from a JSON lines file (gzip allowed), a
 * directory tree laid out like the CVE list, or a file holding one record.
 * Records that cannot be used are reported through `onSkip` and left out.
 */
export async function* importCve5(path: string, options: ImportOptions = {}): AsyncGenerator<LabelledDoc> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (cause) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}`, { cause, details: { path } });
  }
  const records: AsyncGenerator<JsonRecord> = isDir
    ? readCveTree(path, options)
    : readJsonRecords(path, options);
  for await (const rec of records) {
    if ('error' in rec) {
      options.onSkip?.({ where: rec.where, reason: rec.error });
      continue;
    }
    const out = cve5ToDoc(rec.value);
    if ('doc' in out) yield out.doc;
    else
      options.onSkip?.({
        where: rec.where,
        reason: out.reason,
        ...(out.id === undefined ? {} : { id: out.id }),
      });
  }
}
