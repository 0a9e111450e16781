import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parentTechniqueId,
  stixUuid,
  TECHNIQUE_ID,
  targetNodeId,
  techniqueIdOf,
  vulnerabilityNodeId,
} from './ids.js';
import { indicatorNodeId, indicatorsFromLists, normaliseIndicator } from './indicators.js';
import { displayLine, normaliseName } from './normalise.js';

test('names normalise so spelling variants of one alias meet', () => {
  assert.equal(normaliseName('APT 28'), 'apt28');
  assert.equal(normaliseName('apt-28'), 'apt28');
  assert.equal(normaliseName('Fancy  Bear'), normaliseName('FANCY BEAR'));
  assert.equal(normaliseName('Ｆａｎｃｙ'), 'fancy');
  assert.notEqual(normaliseName('APT28'), normaliseName('APT29'));
});

test('displayLine makes one line of any text, without NUL or a split surrogate pair', () => {
  assert.equal(displayLine(' a\u0000b\r\n\tc\u0001d\u0000 ', 100), 'a b c\u0001d');
  assert.equal(displayLine('\u0000 \u0000', 100), '');
  assert.equal(displayLine(`${'x'.repeat(9)}\u{1F600}`, 10), 'x'.repeat(9));
  assert.equal(displayLine(`${'x'.repeat(8)}\u{1F600}`, 10), `${'x'.repeat(8)}\u{1F600}`);
});

test('technique, CVE, target and STIX ids are parsed and built', () => {
  assert.ok(TECHNIQUE_ID.test('T1059'));
  assert.ok(TECHNIQUE_ID.test('T1059.001'));
  assert.ok(!TECHNIQUE_ID.test('T159'));
  assert.ok(!TECHNIQUE_ID.test('T1059.1'));
  assert.equal(parentTechniqueId('T1059.001'), 'T1059');
  assert.equal(parentTechniqueId('T1059'), undefined);
  assert.equal(techniqueIdOf('technique:T1566.002'), 'T1566.002');
  assert.equal(techniqueIdOf('actor:G0007'), undefined);
  assert.equal(vulnerabilityNodeId(' cve-2021-44228 '), 'vulnerability:CVE-2021-44228');
  assert.equal(vulnerabilityNodeId('CVE-21-1'), undefined);
  assert.equal(targetNodeId('country', 'us'), 'target:country:US');
  assert.equal(
    targetNodeId('sector', 'Government, Administration'),
    'target:sector:governmentadministration',
  );
  assert.equal(
    stixUuid('intrusion-set--BEF4C620-0787-42A8-A96D-B7EB6E85917C'),
    'bef4c620-0787-42a8-a96d-b7eb6e85917c',
  );
  assert.equal(stixUuid('intrusion-set--nope'), undefined);
});

test('indicators are validated and normalised per kind', () => {
  assert.equal(normaliseIndicator('ipv4', '10.0.0.1'), '10.0.0.1');
  assert.equal(normaliseIndicator('ipv4', '300.0.0.1'), undefined);
  assert.equal(normaliseIndicator('domain', 'Evil.Example.COM.'), 'evil.example.com');
  assert.equal(normaliseIndicator('domain', 'not a domain'), undefined);
  assert.equal(
    normaliseIndicator('md5', 'D41D8CD98F00B204E9800998ECF8427E'),
    'd41d8cd98f00b204e9800998ecf8427e',
  );
  assert.equal(normaliseIndicator('sha256', 'abc'), undefined);
  assert.equal(normaliseIndicator('url', 'example.com/no-scheme'), undefined);
  assert.equal(normaliseIndicator('url', 'http://x.example/a?b'), 'http://x.example/a?b');
  assert.equal(normaliseIndicator('email', 'A@B.example'), 'a@b.example');
  assert.equal(normaliseIndicator('filename', 'a/b.exe'), undefined);
  assert.equal(normaliseIndicator('url', `http://x.example/${'a'.repeat(3000)}`), undefined);
  // NUL is refused in every kind (it would be part of the node id); control characters in URLs and addresses.
  assert.equal(normaliseIndicator('url', 'http://x.example/a\u0000b'), undefined);
  assert.equal(normaliseIndicator('url', 'http://x.example/a\u0007b'), undefined);
  assert.equal(normaliseIndicator('email', 'a\u0000@b.example'), undefined);
  assert.equal(normaliseIndicator('pattern', "[file:name = 'a\u0000']"), undefined);
  assert.equal(normaliseIndicator('pattern', "[file:name = 'a']"), "[file:name = 'a']");
  assert.equal(indicatorNodeId('domain', 'EVIL.example.com'), 'indicator:domain:evil.example.com');
  assert.deepEqual(indicatorsFromLists({ ipv4s: ['1.2.3.4'], sha1s: ['a'.repeat(40)], other: ['x'] }), [
    { type: 'ipv4', value: '1.2.3.4' },
    { type: 'sha1', value: 'a'.repeat(40) },
  ]);
});
