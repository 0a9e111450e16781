/**
 * Data check of the importers on the real public files (run by
 * .ci/data-checks/severity-importers.sh): every CVE record is read or skipped
 * with a reason, the STIX bundle streams, and memory stays bounded.
 *
 *   node --import tsx scripts/severity-importers-check.ts [--data ../shared/data]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importDocuments, type SkippedRecord } from '../src/ingest/index.js';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data' } } });
const problems: string[] = [];
const rss0 = process.memoryUsage().rss;
let peak = 0;
const watch = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss - rss0);
}, 50);

const skipped: SkippedRecord[] = [];
let cve = 0;
let labelled = 0;
for await (const d of importDocuments(join(values.data, 'cve/vulnrichment-cve5.jsonl.gz'), {
  onSkip: (s) => skipped.push(s),
})) {
  cve++;
  if (d.label) labelled++;
}
if (cve + skipped.length !== 44130) problems.push(`CVE: ${cve} read + ${skipped.length} skipped != 44130`);
if (labelled < 31000)
  problems.push(`CVE: only ${labelled} labelled records (README: about 31,800 with a v3 severity)`);
if (skipped.some((s) => s.reason === '')) problems.push('a skip without a reason');

let patterns = 0;
const stixSkips: SkippedRecord[] = [];
for await (const _ of importDocuments(join(values.data, 'attack/enterprise-attack.json.gz'), {
  format: 'stix21',
  types: ['attack-pattern'],
  onSkip: (s) => stixSkips.push(s),
})) {
  patterns++;
}
// 835 techniques in v18; revoked or deprecated ones are skipped with a reason.
if (patterns + stixSkips.length < 835)
  problems.push(`STIX: ${patterns} + ${stixSkips.length} attack-patterns, expected >= 835`);
clearInterval(watch);
peak = Math.max(peak, process.memoryUsage().rss - rss0);
if (peak > 512 * 1048576)
  problems.push(`RSS grew by ${Math.round(peak / 1048576)} MiB (> 512 MiB): not streaming?`);
process.stdout.write(
  `${JSON.stringify({
    ok: problems.length === 0,
    cve: { read: cve, labelled, skipped: skipped.length },
    stix: { attackPatterns: patterns, skipped: stixSkips.length },
    rssGrowthMiB: Math.round(peak / 1048576),
    problems,
  })}\n`,
);
if (problems.length > 0) process.exitCode = 1;
