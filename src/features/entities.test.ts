import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyExtraction, extractIndicators } from '../extract/index.js';
import { ENTITY_SLOTS, writeEntities } from './entities.js';

function entities(extraction: ReturnType<typeof emptyExtraction>): Record<string, number> {
  const out = new Float32Array(10);
  writeEntities(extraction, out, 0);
  return Object.fromEntries(ENTITY_SLOTS.map((s, i) => [s.name, out[i]!]));
}

const log = (n: number) => Math.log1p(n) / Math.log1p(100);
const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

test('unique indicators per group, log-scaled', () => {
  const e = extractIndicators(
    'C2 at 203.0.113.7 and hxxp://evil-cdn[.]net/payload, also 198.51.100.0/24 and 203.0.113.7 again. ' +
      'Hash d41d8cd98f00b204e9800998ecf8427e, CVE-2024-3094 and CVE-2021-44228, technique T1059.001.',
  );
  const s = entities(e);
  assert.ok(close(s['ent.ip_addresses']!, log(2)), `ips ${s['ent.ip_addresses']}`); // one IPv4 (unique) + one CIDR
  assert.ok(close(s['ent.urls']!, log(1)));
  assert.ok(close(s['ent.cves']!, log(2)));
  assert.ok(close(s['ent.file_hashes']!, log(1)));
  assert.ok(close(s['ent.attack_ids']!, log(1)));
  assert.equal(s['ent.emails'], 0);
  assert.equal(s['ent.warninglisted_share'], 0, 'no warninglists given');
});

test('100 unique values read 1; the warninglisted share counts flagged occurrences', () => {
  const e = emptyExtraction();
  e.ipv4s = Array.from({ length: 100 }, (_, i) => `10.0.0.${i}`);
  assert.ok(close(entities(e)['ent.ip_addresses']!, 1));

  const flagged = emptyExtraction();
  const flag = [{ name: 'List of known public DNS resolvers', description: 'public DNS' }];
  flagged.ipv4s = ['8.8.8.8', '203.0.113.9'];
  flagged.matches = [
    { type: 'ipv4', value: '8.8.8.8', raw: '8.8.8.8', start: 0, end: 7, warninglists: flag },
    { type: 'ipv4', value: '8.8.8.8', raw: '8.8.8.8', start: 10, end: 17, warninglists: flag },
    { type: 'ipv4', value: '203.0.113.9', raw: '203.0.113.9', start: 20, end: 31, warninglists: [] },
  ];
  assert.ok(close(entities(flagged)['ent.warninglisted_share']!, 2 / 3));
});

test('empty extraction gives all zeros', () => {
  assert.deepEqual(Object.values(entities(emptyExtraction())), new Array(10).fill(0));
});
