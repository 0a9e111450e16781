/**
 * Where the shipped technique model errs on the validation reports (never the test
 * reports): per technique, misses split into "said no technique" and "said another
 * technique", false alarms split into "on a no-technique sentence" and "instead of another".
 *
 *   nice -n 10 node --import tsx bench/techniques/errors.ts [--data ../shared/data] [--model models/techniques]
 */
import { parseArgs } from 'node:util';
import type { TechniqueExample } from '../../src/attack/evaluate.js';
import { loadTechniqueModel } from '../../src/attack/index.js';
import { loadValidationSplit } from './validation-split.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    model: { type: 'string', default: 'models/techniques' },
    cache: { type: 'string', default: '.tmp/technique-cache' },
  },
});
const { val } = loadValidationSplit(values.data as string, values.cache);
const model = loadTechniqueModel(values.model as string);
for (const [name, examples] of Object.entries(val) as [string, TechniqueExample[]][]) {
  const per = new Map<
    string,
    { support: number; tp: number; missNone: number; missOther: number; faNone: number; faOther: number }
  >();
  const get = (id: string) => {
    let e = per.get(id);
    if (e === undefined) {
      e = { support: 0, tp: 0, missNone: 0, missOther: 0, faNone: 0, faOther: 0 };
      per.set(id, e);
    }
    return e;
  };
  let noneRight = 0;
  let noneTotal = 0;
  for (const ex of examples) {
    const predicted = model.mapSentence(ex.text).map((t) => t.id);
    const gold = new Set(ex.techniques);
    if (gold.size === 0) {
      noneTotal++;
      if (predicted.length === 0) noneRight++;
    }
    for (const g of gold) {
      const e = get(g);
      e.support++;
      if (predicted.includes(g)) e.tp++;
      else if (predicted.length === 0) e.missNone++;
      else e.missOther++;
    }
    for (const p of predicted) {
      if (gold.has(p)) continue;
      if (gold.size === 0) get(p).faNone++;
      else get(p).faOther++;
    }
  }
  const rows = [...per.entries()].sort((a, b) => b[1].support - a[1].support || a[0].localeCompare(b[0]));
  const sum = (k: keyof (typeof rows)[number][1]) => rows.reduce((s, [, e]) => s + e[k], 0);
  console.log(
    `\n## validation ${name}: ${examples.length} examples, "no technique" right ${noneRight}/${noneTotal}`,
  );
  console.log(
    `misses: ${sum('missNone')} said no technique, ${sum('missOther')} said another; false alarms: ${sum('faNone')} on no-technique text, ${sum('faOther')} beside or instead of another`,
  );
  console.log(
    '| technique | support | right | missed: none | missed: other | false alarm: none | false alarm: other |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [id, e] of rows)
    console.log(
      `| ${id} | ${e.support} | ${e.tp} | ${e.missNone} | ${e.missOther} | ${e.faNone} | ${e.faOther} |`,
    );
}
