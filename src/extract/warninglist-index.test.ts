import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureMispLists, fixtureWarninglistFile } from '../../test/fixtures/extract/warninglists.js';
import { isAppError } from '../core/index.js';
import { countIndicators, extractIndicators } from './extract.js';
import { warninglistFileFromMisp } from './warninglist-data.js';
import { WarninglistIndex } from './warninglist-index.js';

const index = WarninglistIndex.build(fixtureWarninglistFile());
const names = (
  type: Parameters<WarninglistIndex['match']>[0]['type'],
  value: string,
  host?: string,
): string[] => index.match(host === undefined ? { type, value } : { type, value, host }).map((r) => r.name);

describe('warninglistFileFromMisp', () => {
  it('stores each value once, grouped by the lists holding it, reproducibly', () => {
    const a = fixtureWarninglistFile();
    const b = warninglistFileFromMisp([...fixtureMispLists()].reverse(), 'test fixture');
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.lists.map((l) => l.id),
      [
        'fixture-cidr',
        'fixture-hashes',
        'fixture-hostname',
        'fixture-regex',
        'fixture-string',
        'fixture-substring',
      ],
    );
    const all = a.groups.flatMap((g) => g.values);
    assert.equal(new Set(all).size, all.length);
  });
});

describe('WarninglistIndex', () => {
  it('cidr: matches addresses inside a network, IPv4 and IPv6, and skips malformed entries', () => {
    assert.deepEqual(names('ipv4', '10.20.30.40'), ['Fixture private and resolver networks']);
    assert.deepEqual(names('ipv4', '9.9.9.9'), ['Fixture private and resolver networks']);
    assert.deepEqual(names('ipv4', '9.9.9.10'), []);
    assert.deepEqual(names('ipv4', '11.0.0.0'), []);
    assert.deepEqual(names('ipv6', '2001:db8:ffff::1'), ['Fixture private and resolver networks']);
    assert.deepEqual(names('ipv6', '2001:db9::1'), []);
    assert.equal(index.skippedEntries, 2); // "not-a-network" and the PCRE-only regex
  });

  it('cidr: a network matches when the list covers all of it', () => {
    assert.deepEqual(names('cidr', '10.1.0.0/16'), ['Fixture private and resolver networks']);
    assert.deepEqual(names('cidr', '10.0.0.0/7'), []);
    assert.deepEqual(names('cidr', '2001:db8:1::/48'), ['Fixture private and resolver networks']);
  });

  it('string: exact, case-insensitive; URLs by their host', () => {
    assert.deepEqual(names('domain', 'popular-fixture.com'), ['Fixture popular sites']);
    assert.deepEqual(names('domain', 'mixed.fixture-example.com'), ['Fixture popular sites']);
    assert.deepEqual(names('domain', 'sub.popular-fixture.com'), []);
    assert.deepEqual(names('url', 'https://www.popular-fixture.com/login', 'www.popular-fixture.com'), [
      'Fixture popular sites',
    ]);
    assert.deepEqual(names('url', 'https://www.popular-fixture.com/login'), ['Fixture popular sites']);
  });

  it('hostname: the host or any parent domain', () => {
    assert.deepEqual(names('domain', 'a.b.dyn-fixture.net'), ['Fixture dynamic DNS']);
    assert.deepEqual(names('domain', 'dyn-fixture.net'), ['Fixture dynamic DNS']);
    assert.deepEqual(names('domain', 'x.cdn.fixture-example.org'), ['Fixture dynamic DNS']);
    assert.deepEqual(names('domain', 'notdyn-fixture.net'), []);
    assert.deepEqual(names('domain', 'fixture-example.org'), []);
  });

  it('substring: anywhere in the value, only for the types the list names', () => {
    assert.deepEqual(names('email', 'x@trashmail.org'), ['Fixture disposable mail']);
    assert.deepEqual(names('email', 'someone@mail.tempinbox-fixture.com'), ['Fixture disposable mail']);
    assert.deepEqual(names('domain', 'trashmail.org'), []); // list applies to e-mail only
  });

  it('regex: PCRE delimiters and flags are understood', () => {
    assert.deepEqual(names('email', 'Abuse@corp.com'), ['Fixture contact addresses']);
    assert.deepEqual(names('email', 'bob@corp.com'), []);
  });

  it('lists without matching_attributes apply to every type', () => {
    assert.deepEqual(names('md5', 'd41d8cd98f00b204e9800998ecf8427e'), ['Fixture empty-file hashes']);
    assert.deepEqual(names('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), [
      'Fixture empty-file hashes',
    ]);
  });

  it('rejects a file whose groups refer to undefined lists', () => {
    const file = fixtureWarninglistFile();
    file.groups.push({ lists: [99], values: ['x'] });
    assert.throws(
      () => WarninglistIndex.build(file),
      (err) => isAppError(err, 'CS_ERR_ARTEFACT_INVALID'),
    );
  });
});

describe('extractIndicators with warninglists', () => {
  const text =
    'C2 10.1.2.3 and 203.0.113.9, host a.dyn-fixture.net, url hxxps://www[.]popular-fixture[.]com/x, ' +
    'mail abuse@corp.com, md5 d41d8cd98f00b204e9800998ecf8427e.';

  it('keeps flagged indicators and names the lists with their descriptions', () => {
    const e = extractIndicators(text, { warninglists: index });
    assert.deepEqual(e.ipv4s, ['10.1.2.3', '203.0.113.9']);
    const byValue = new Map(e.matches.map((m) => [`${m.type} ${m.value}`, m.warninglists]));
    assert.deepEqual(byValue.get('ipv4 10.1.2.3'), [
      {
        name: 'Fixture private and resolver networks',
        description:
          'Test fixture: RFC 1918 networks, one resolver address, an IPv6 documentation prefix and one malformed entry.',
      },
    ]);
    assert.deepEqual(byValue.get('ipv4 203.0.113.9'), []);
    assert.equal(byValue.get('domain a.dyn-fixture.net')?.[0]?.name, 'Fixture dynamic DNS');
    assert.equal(byValue.get('url https://www.popular-fixture.com/x')?.[0]?.name, 'Fixture popular sites');
    assert.equal(byValue.get('domain www.popular-fixture.com')?.[0]?.name, 'Fixture popular sites');
    assert.equal(byValue.get('email abuse@corp.com')?.[0]?.name, 'Fixture contact addresses');
    assert.equal(byValue.get('md5 d41d8cd98f00b204e9800998ecf8427e')?.[0]?.name, 'Fixture empty-file hashes');
  });

  it('flags nothing without an index', () => {
    const e = extractIndicators(text);
    assert.ok(e.matches.every((m) => m.warninglists.length === 0));
  });

  it('countIndicators can leave flagged values out', () => {
    const e = extractIndicators(text, { warninglists: index });
    assert.equal(countIndicators(e).ipv4, 2);
    assert.equal(countIndicators(e, { excludeWarninglisted: true }).ipv4, 1);
    assert.equal(countIndicators(e, { excludeWarninglisted: true }).md5, 0);
  });
});
