/**
 * Builds assets/kev.json from CISA's Known Exploited Vulnerabilities
 * catalogue in the shared data folder (../shared/data/kev, CC0).
 *
 * Usage: node --import tsx scripts/build-kev.ts [--source FILE] [--out FILE]
 *        (npm run build:kev)
 *
 * Keeps per CVE: vendor, product, CISA's short name, date added, due date and
 * the ransomware flag; drops the prose (description, notes, required action).
 * Reproducible: entries sorted by CVE id, one per line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { validate } from '../src/core/index.js';
import {
  CisaKevCatalogSchema,
  kevFileFromCisa,
  parseKevFile,
  serializeKevFile,
} from '../src/explain/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    source: {
      type: 'string',
      default: join(
        process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'),
        'kev',
        'known_exploited_vulnerabilities.json',
      ),
    },
    out: { type: 'string', default: join(repoRoot, 'assets', 'kev.json') },
  },
});
const source = resolve(args.source!);
const out = resolve(args.out!);

const raw: unknown = JSON.parse(await readFile(source, 'utf8'));
const catalog = validate(CisaKevCatalogSchema, raw, source, 'CS_ERR_ARTEFACT_INVALID');
const derived = kevFileFromCisa(
  catalog,
  `CISA Known Exploited Vulnerabilities catalogue (https://www.cisa.gov/known-exploited-vulnerabilities-catalog), version ${catalog.catalogVersion}, snapshot in ../shared/data/kev`,
);
const text = serializeKevFile(derived);
// Round trip through the loader's own check before writing.
const check = parseKevFile(JSON.parse(text), out);
await writeFile(out, text);
console.log(
  JSON.stringify({
    out,
    catalogVersion: derived.catalogVersion,
    sourceEntries: catalog.vulnerabilities.length,
    entries: check.size,
    ransomware: derived.entries.filter((e) => e.ransomware).length,
    bytes: Buffer.byteLength(text),
  }),
);
