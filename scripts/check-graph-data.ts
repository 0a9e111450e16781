/**
 * Data check of the knowledge graph on the full public data (run by
 * .ci/data-checks/graph-import.sh; needs ../shared/data):
 *
 *   node --import tsx scripts/check-graph-data.ts --data-dir ../shared/data [--database-url postgres://…]
 *
 * Imports ATT&CK, every MISP galaxy, CISA KEV and the CVE-to-ATT&CK mappings into a
 * fresh SQLite graph (and, with --database-url, a fresh PostgreSQL schema), then
 * checks: nothing refused as malformed; a re-run changes nothing; APT28, Fancy Bear,
 * Sofacy and G0007 are one actor; enrichment of an APT28 text ranks APT28 first and
 * knows Log4Shell is in KEV; every exported Cypher statement is well formed; a STIX
 * export around APT28 is a valid bundle. Prints the figures; exits 1 on any failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cypherProblem,
  enrich,
  exportCypher,
  exportStixBundle,
  type GraphStore,
  importFiles,
  minePatterns,
  openPostgresGraph,
  openSqliteGraph,
  publicDataGraphFiles,
  stixBundleProblems,
  suggestTechniques,
} from '../src/graph/index.js';

const { values: args } = parseArgs({
  options: { 'data-dir': { type: 'string', default: '../shared/data' }, 'database-url': { type: 'string' } },
});
const dir = args['data-dir'] as string;
const files = publicDataGraphFiles(dir);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failures.push(what);
};

async function checkGraph(name: string, g: GraphStore): Promise<void> {
  process.stdout.write(`== ${name}\n`);
  const reports = await importFiles(g, files);
  for (const r of reports) {
    process.stdout.write(
      `   ${r.format}: ${r.records} records, ${r.imported} imported, ${r.ignored} ignored, ${r.skippedCount} skipped, ${r.unresolved} unresolved\n`,
    );
    check(
      r.skippedCount === 0,
      `${name}: ${r.format} refuses no record as malformed (${JSON.stringify(r.skipped.slice(0, 3))})`,
    );
  }
  const stats = await g.stats();
  process.stdout.write(`   ${JSON.stringify(stats.nodesByType)}\n`);
  check(
    (stats.nodesByType.Technique ?? 0) >= 600,
    `${name}: ATT&CK techniques imported (${stats.nodesByType.Technique})`,
  );
  check(
    (stats.nodesByType.Vulnerability ?? 0) >= 1400,
    `${name}: KEV imported (${stats.nodesByType.Vulnerability})`,
  );
  const again = await importFiles(g, files);
  const changes = again.reduce(
    (n, r) => n + r.nodesCreated + r.nodesUpdated + r.edgesWritten + r.aliasesAdded,
    0,
  );
  check(changes === 0, `${name}: re-running the import changes nothing (${changes} changes)`);
  const owners = await g.lookupAliases(['apt28', 'fancybear', 'sofacy', 'attack:g0007'], {
    types: ['Actor'],
    kinds: ['name', 'alias', 'xid'],
  });
  const ids = [...new Set(owners.map((a) => a.nodeId))];
  check(
    ids.length === 1 && ids[0] === 'actor:G0007',
    `${name}: APT28, Fancy Bear, Sofacy and G0007 are one actor (${ids.join(', ')})`,
  );
  const mined = await minePatterns(g);
  check(
    mined.rules > 0,
    `${name}: FP-Growth mined ${mined.itemsets} itemsets and ${mined.rules} rules from ${mined.transactions} technique sets`,
  );
  const suggestions = await suggestTechniques(g, ['T1003.001', 'T1021.002']);
  check(
    suggestions.length > 0,
    `${name}: suggestions for T1003.001 + T1021.002: ${suggestions
      .slice(0, 3)
      .map((s) => `${s.id} (${s.confidence.toFixed(2)})`)
      .join(', ')}`,
  );
  const e = await enrich(g, {
    text: 'Fancy Bear operators sent spearphishing attachments and used X-Agent.',
    techniques: [
      { id: 'T1566.001', score: 0.9 },
      { id: 'T1071.001', score: 0.6 },
    ],
    cves: ['CVE-2021-44228'],
  });
  check(
    e.actors[0]?.id === 'actor:G0007',
    `${name}: enrichment ranks APT28 first (${e.actors
      .slice(0, 3)
      .map((a) => `${a.name} ${a.score}`)
      .join(', ')})`,
  );
  check(
    e.vulnerabilities[0]?.inKev === true && e.vulnerabilities[0]?.ransomware === true,
    `${name}: Log4Shell is in KEV with ransomware use`,
  );
  check(e.mitigations.length > 0, `${name}: mitigations for the techniques (${e.mitigations.length})`);
  let statements = 0;
  let bad = 0;
  await exportCypher(g, (s) => {
    statements++;
    if (cypherProblem(s) !== undefined) bad++;
  });
  check(bad === 0, `${name}: ${statements} Cypher statements, ${bad} malformed`);
  const bundle = JSON.parse(
    JSON.stringify(await exportStixBundle(g, 'actor:G0007', { depth: 1, maxNodes: 5000 })),
  );
  const problems = stixBundleProblems(bundle);
  check(
    problems.length === 0,
    `${name}: STIX bundle around APT28 (${bundle.objects.length} objects) is valid ${problems.slice(0, 3).join('; ')}`,
  );
}

const tmp = mkdtempSync(join(tmpdir(), 'cs-graph-check-'));
try {
  const sqlite = openSqliteGraph({ path: join(tmp, 'graph.sqlite') });
  await checkGraph('sqlite', sqlite);
  await sqlite.close();
  if (args['database-url']) {
    const schema = `graph_check_${process.pid}`;
    const pg = await openPostgresGraph({ url: args['database-url'] as string, schema, maxConnections: 2 });
    try {
      await checkGraph('postgres', pg);
    } finally {
      // No background snapshot read may hold a lock on the tables the drop takes (it deadlocked in CI).
      await pg.adjacency?.close();
      await pg.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pg.close();
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (failures.length > 0) {
  process.stdout.write(`${failures.length} check(s) failed\n`);
  process.exitCode = 1;
}
