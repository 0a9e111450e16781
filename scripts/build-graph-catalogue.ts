/**
 * Builds the shipped knowledge-graph catalogue from the public data:
 *
 *   npm run build:graph-catalogue -- [--data-dir ../shared/data] [--out-dir assets]
 *
 * Imports, in this order, MITRE ATT&CK Enterprise (STIX 2.1), every MISP galaxy
 * cluster file, the CISA KEV catalogue and the CVE to ATT&CK mappings into an
 * in-memory graph with the same importers users run, then dumps it compactly
 * (ids, names, aliases, tactics, relationships, KEV facts; no descriptions) to
 * assets/graph-catalogue.json.gz and its sidecar assets/graph-catalogue.meta.json.
 * The output depends only on the input files, so a rebuild from the same data is
 * byte-identical (checked by .ci/data-checks/graph-catalogue.sh).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fixedClock } from '../src/core/index.js';
import {
  CATALOGUE_FILE,
  CATALOGUE_META_FILE,
  type Catalogue,
  catalogueMeta,
  dumpCatalogue,
  type ImportProgress,
  type ImportReport,
  importCveAttackMappings,
  importKev,
  importMispGalaxies,
  importStixBundle,
  openSqliteGraph,
} from '../src/graph/index.js';

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '../shared/data' },
    'out-dir': { type: 'string', default: 'assets' },
  },
});
const dataDir = args['data-dir'] as string;
const outDir = args['out-dir'] as string;

function readJson(path: string): unknown {
  const raw = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
}

let last = '';
function progress(p: ImportProgress): void {
  const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
  // On a terminal one line updates in place; in logs, a line per quarter.
  const line = `${p.format} ${p.phase} ${process.stderr.isTTY ? pct : Math.floor(pct / 25) * 25}%`;
  if (line === last) return;
  last = line;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(40)}` : `${line}\n`);
}

function summary(r: ImportReport): string {
  return `${r.format}: ${r.records} records, ${r.imported} imported, ${r.ignored} ignored, ${r.skippedCount} skipped, ${r.unresolved} unresolved links`;
}

// A fixed clock: timestamps are not shipped, but keep the build free of wall-clock input anyway.
const graph = openSqliteGraph({ path: ':memory:', clock: fixedClock(0) });
const builtFrom: Catalogue['builtFrom'] = [];

const attack = readJson(join(dataDir, 'attack/enterprise-attack.json.gz')) as {
  objects: { modified?: string }[];
};
const attackDate = attack.objects
  .reduce((m, o) => (o.modified && o.modified > m ? o.modified : m), '')
  .slice(0, 10);
process.stderr.write(
  `${process.stderr.isTTY ? '\n' : ''}${summary(await importStixBundle(graph, attack, { onProgress: progress }))}\n`,
);
builtFrom.push({
  name: 'attack',
  title: 'MITRE ATT&CK Enterprise (STIX 2.1 bundle, mitre/cti)',
  version: `objects modified up to ${attackDate}`,
  licence: 'ATT&CK Terms of Use (© The MITRE Corporation)',
});

const mispDir = join(dataDir, 'misp-galaxy');
const galaxies = readdirSync(mispDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readJson(join(mispDir, f)) as { type: string; version?: number });
process.stderr.write(
  `${process.stderr.isTTY ? '\n' : ''}${summary(await importMispGalaxies(graph, galaxies, { onProgress: progress }))}\n`,
);
builtFrom.push({
  name: 'misp-galaxy',
  title: 'MISP galaxy clusters',
  version: galaxies.map((g) => `${g.type} v${g.version ?? '?'}`).join(', '),
  licence: 'CC0-1.0 or BSD-2-Clause',
});

const kev = readJson(join(dataDir, 'kev/known_exploited_vulnerabilities.json')) as {
  catalogVersion?: string;
};
process.stderr.write(
  `${process.stderr.isTTY ? '\n' : ''}${summary(await importKev(graph, kev, { onProgress: progress }))}\n`,
);
builtFrom.push({
  name: 'kev',
  title: 'CISA Known Exploited Vulnerabilities catalogue',
  version: kev.catalogVersion ?? 'unknown',
  licence: 'CC0-1.0',
});

const mappingsFile = readdirSync(join(dataDir, 'cve-attack-mappings')).find((f) =>
  f.endsWith('.json'),
) as string;
const mappings = readJson(join(dataDir, 'cve-attack-mappings', mappingsFile)) as {
  metadata?: { attack_version?: string; mapping_framework_version?: string };
};
process.stderr.write(
  `${summary(await importCveAttackMappings(graph, mappings, { onProgress: progress }))}\n`,
);
builtFrom.push({
  name: 'mappings-explorer',
  title: `Mappings Explorer: KEV to ATT&CK (${mappingsFile})`,
  version: `KEV mappings ${mappings.metadata?.mapping_framework_version ?? '?'}, ATT&CK ${mappings.metadata?.attack_version ?? '?'}`,
  licence: 'Apache-2.0',
});

const catalogue = await dumpCatalogue(graph, builtFrom);
const gz = gzipSync(JSON.stringify(catalogue), { level: 9 });
writeFileSync(join(outDir, CATALOGUE_FILE), gz);
writeFileSync(join(outDir, CATALOGUE_META_FILE), `${JSON.stringify(catalogueMeta(catalogue), null, 2)}\n`);
const stats = await graph.stats();
process.stderr.write(
  `wrote ${join(outDir, CATALOGUE_FILE)} (${gz.length} bytes, ${catalogue.nodes.length} nodes, ${catalogue.edges.length} edges, ${stats.aliases} aliases) id ${catalogue.id}\n`,
);
await graph.close();
