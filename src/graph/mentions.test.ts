import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findActorMentions, MentionMatcher } from './mentions.js';
import { importMispGalaxies } from './misp-import.js';
import type { AliasEntry } from './schema.js';
import { openSqliteGraph } from './sqlite-graph.js';
import { importStixBundle } from './stix-import.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/graph/${name}`, import.meta.url), 'utf8'));

const entry = (nodeId: string, value: string, kind: AliasEntry['kind'] = 'alias'): AliasEntry => ({
  nodeId,
  nodeType: nodeId.startsWith('actor') ? 'Actor' : 'Malware',
  kind,
  value,
  norm: value.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''),
});

test('aliases in any spelling point at one actor, with offsets', async () => {
  const g = openSqliteGraph({ path: ':memory:' });
  await importStixBundle(g, fixture('attack-mini.json'));
  await importMispGalaxies(g, [fixture('misp-threat-actor.json')]);
  const text =
    'Researchers tie the FANCY BEAR wave (a.k.a. APT 28, Sofacy, Pawn Storm) to the Lazarus Group? No.';
  const found = await findActorMentions(g, text);
  assert.deepEqual(
    found.map((m) => [m.nodeId, m.text, m.kind]),
    [
      ['actor:G0007', 'FANCY BEAR', 'alias'],
      ['actor:G0007', 'APT 28', 'name'],
      ['actor:G0007', 'Sofacy', 'alias'],
      ['actor:G0007', 'Pawn Storm', 'synonym'],
      ['actor:G0032', 'Lazarus Group', 'name'],
    ],
  );
  const first = found[0];
  assert.equal(text.slice(first?.start, first?.end), 'FANCY BEAR');
  assert.equal(first?.name, 'APT28');
  // Software aliases are not actor mentions, even when they spell like one (CHOPSTICK's alias "Sofacy").
  assert.ok(found.every((m) => m.nodeType === 'Actor'));
  await g.close();
});

test('plain words must look like names; common words need capitals where the alias has them', () => {
  const m = new MentionMatcher([
    entry('actor:turla', 'Turla', 'name'),
    entry('actor:play', 'Play', 'name'),
    entry('actor:zinc', 'ZINC', 'alias'),
    entry('actor:apt1', 'APT1', 'name'),
    entry('actor:oil', 'OilRig', 'name'),
    entry('actor:xx', 'XY', 'name'),
    entry('malware:plugx', 'PlugX', 'name'),
  ]);
  const ids = (text: string) => m.find(text).map((x) => x.nodeId);
  assert.deepEqual(ids('Turla struck again; turla in lower case does not count.'), ['actor:turla']);
  assert.deepEqual(ids('Press play. Play the video.'), []);
  assert.deepEqual(ids('ZINC and zinc and Zinc'), ['actor:zinc']);
  assert.deepEqual(ids('apt1 and oilrig dropped plugx; XY is too short'), [
    'actor:apt1',
    'actor:oil',
    'malware:plugx',
  ]);
  assert.deepEqual(
    m.findActorMentions('apt1 dropped PlugX').map((x) => x.nodeId),
    ['actor:apt1'],
  );
});

test('an alias shared by two nodes at the same rank is reported for both, marked ambiguous', () => {
  const m = new MentionMatcher([
    entry('actor:a', 'Thrip', 'alias'),
    entry('actor:b', 'Thrip', 'alias'),
    entry('actor:c', 'Thrip', 'synonym'),
  ]);
  const found = m.find('Thrip again');
  assert.deepEqual(
    found.map((x) => [x.nodeId, x.candidates]),
    [
      ['actor:a', 2],
      ['actor:b', 2],
    ],
  );
});
