/**
 * Builds assets/warninglists.json.gz from the MISP warninglists in the shared
 * data folder (../shared/data/misp-warninglists/<list>/list.json, CC0).
 *
 * Usage: node --import tsx scripts/build-warninglists.ts [--source DIR] [--out FILE]
 *        (npm run build:warninglists)
 *
 * All 137 lists and all five types (cidr, string, hostname, substring, regex)
 * are kept, nothing is trimmed: grouping values by the set of lists holding
 * them stores each of the ~400k values once (the "top N" domain lists are
 * nested), and gzip brings the file to under 3 MB. The output is
 * reproducible: lists sorted by folder name, values sorted, gzip without a
 * time stamp.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { validate } from '../src/core/index.js';
import {
  type MispWarninglist,
  MispWarninglistSchema,
  WarninglistIndex,
  warninglistFileFromMisp,
} from '../src/extract/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    source: {
      type: 'string',
      default: join(process.env.SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'), 'misp-warninglists'),
    },
    out: { type: 'string', default: join(repoRoot, 'assets', 'warninglists.json.gz') },
  },
});
const source = resolve(args.source!);
const out = resolve(args.out!);

const dirs = (await readdir(source, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const lists: { id: string; list: MispWarninglist }[] = [];
for (const id of dirs.sort()) {
  const file = join(source, id, 'list.json');
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  lists.push({ id, list: validate(MispWarninglistSchema, raw, file) });
}

const derived = warninglistFileFromMisp(
  lists,
  'MISP warninglists (https://github.com/MISP/misp-warninglists), snapshot in ../shared/data/misp-warninglists; per-list versions in lists[].version',
);
const json = JSON.stringify(derived);
const gz = gzipSync(json, { level: 9 });
await writeFile(out, gz);

// Report what the service will actually use, including entries it cannot.
const t0 = performance.now();
const index = WarninglistIndex.build(derived);
const buildMs = performance.now() - t0;
const byType = new Map<string, number>();
for (const l of derived.lists) byType.set(l.type, (byType.get(l.type) ?? 0) + 1);
const values = derived.groups.reduce((n, g) => n + g.values.length, 0);
console.log(
  JSON.stringify(
    {
      out,
      lists: derived.lists.length,
      listsByType: Object.fromEntries(byType),
      uniqueValues: values,
      groups: derived.groups.length,
      jsonBytes: Buffer.byteLength(json),
      gzipBytes: gz.length,
      skippedEntries: index.skippedEntries,
      indexBuildMs: Math.round(buildMs),
    },
    null,
    2,
  ),
);
