import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKevLookup, loadKevLookup } from './kev-lookup.js';

test('the KEV lookup answers by CVE id in any case', () => {
  const k = createKevLookup(
    [{ cve: 'CVE-2021-44228', dateAdded: '2021-12-10', ransomware: true }],
    '2025.01.01',
  );
  assert.equal(k.size, 1);
  assert.equal(k.has(' cve-2021-44228 '), true);
  assert.equal(k.get('CVE-2021-44228')?.ransomware, true);
  assert.equal(k.get('CVE-1999-0001'), undefined);
  assert.equal(k.catalogVersion, '2025.01.01');
});

test('the shipped catalogue carries the KEV catalogue', async () => {
  const k = await loadKevLookup();
  assert.ok(k.size > 1000);
  assert.equal(k.get('CVE-2021-44228')?.dateAdded, '2021-12-10');
  assert.match(String(k.catalogVersion), /^\d{4}\.\d{2}\.\d{2}$/);
});
