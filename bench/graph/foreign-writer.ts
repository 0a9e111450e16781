/**
 * The writer of the "foreign writes" run (`foreign-writes.ts`): a separate process with its own
 * store (cache off) that records a group of threats every `--write-ms` as the service's threat
 * recorder does (`writeGroup` of `under-writes.ts`), until SIGTERM. Prints `ready` once open and
 * then each group's wall milliseconds, one a line.
 *
 *   node --import tsx bench/graph/foreign-writer.ts --backend sqlite --path graph.sqlite …
 *   node --import tsx bench/graph/foreign-writer.ts --backend postgres --url … --schema … …
 *     [--write-ms 200] [--group 4] [--seed 9] --tag t --techniques T1059,T1566,…
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../src/core/index.js';
import { type GraphStore, openPostgresGraph, openSqliteGraph } from '../../src/graph/index.js';
import { timed } from './timing.js';
import { writeGroup } from './under-writes.js';

const { values: a } = parseArgs({
  options: {
    backend: { type: 'string' },
    path: { type: 'string' },
    url: { type: 'string' },
    schema: { type: 'string' },
    'write-ms': { type: 'string', default: '200' },
    group: { type: 'string', default: '4' },
    seed: { type: 'string', default: '9' },
    tag: { type: 'string', default: 'foreign' },
    techniques: { type: 'string', default: '' },
  },
});
const writeMs = Number(a['write-ms']);
const group = Number(a.group);
const techniques = (a.techniques as string).split(',').filter(Boolean);
if (!(writeMs >= 0) || !(group >= 1) || techniques.length === 0)
  throw new Error('foreign-writer needs --write-ms >= 0, --group >= 1 and --techniques');
const store: GraphStore =
  a.backend === 'sqlite'
    ? openSqliteGraph({ path: a.path as string, adjacency: false })
    : await openPostgresGraph({
        url: a.url as string,
        schema: a.schema as string,
        maxConnections: 1,
        adjacency: false,
      });
let stop = false;
process.on('SIGTERM', () => {
  stop = true;
});
const r = mulberry32(Number(a.seed));
process.stdout.write('ready\n');
for (let n = 0; !stop; n++) {
  await new Promise((resolve) => setTimeout(resolve, writeMs));
  if (stop) break;
  const ids = Array.from({ length: group }, (_, i) => `bench-${a.tag}-${n}-${i}`);
  const t = await timed(() => writeGroup(store, ids, techniques, r));
  process.stdout.write(`${t.ms}\n`);
}
await store.close();
