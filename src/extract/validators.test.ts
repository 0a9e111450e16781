import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBase58Address, isSegwitAddress } from './bitcoin.js';
import { parseIpRange } from './cidr.js';
import { isKnownTld, isValidDomain } from './domain.js';
import { parseIPv4, parseIPv6Hex } from './ip.js';
import { parseUrl, trimUrl } from './url.js';

describe('validators', () => {
  it('parseIPv4', () => {
    assert.equal(parseIPv4('1.2.3.4'), 0x01020304);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    for (const bad of [
      '256.1.1.1',
      '01.1.1.1',
      '1.1.1',
      '1.1.1.1.1',
      '1..1.1',
      '1.1.1.a',
      '1234.1.1.1',
      '',
    ]) {
      assert.equal(parseIPv4(bad), null, bad);
    }
  });

  it('parseIPv6Hex', () => {
    assert.equal(parseIPv6Hex('2001:db8::1'), '20010db8000000000000000000000001');
    assert.equal(parseIPv6Hex('fe80::1%eth0'), null);
    assert.equal(parseIPv6Hex('1::2::3'), null);
  });

  it('parseIpRange clears host bits', () => {
    assert.deepEqual(parseIpRange('10.1.2.3/8'), { family: 4, first: 0x0a000000, last: 0x0affffff });
    assert.deepEqual(parseIpRange('1.2.3.4'), { family: 4, first: 0x01020304, last: 0x01020304 });
    const v6 = parseIpRange('2001:db8::/126');
    assert.equal(v6?.family, 6);
    assert.equal(v6 && v6.last - (v6.first as bigint), 3n);
    assert.equal(parseIpRange('1.2.3.4/33'), null);
    assert.equal(parseIpRange('x'), null);
  });

  it('TLDs and domains', () => {
    assert.ok(isKnownTld('com'));
    assert.ok(isKnownTld('xn--p1ai')); // .рф
    assert.ok(!isKnownTld('exe'));
    assert.ok(isValidDomain('evil.com', false));
    assert.ok(!isValidDomain('setup.py', false));
    assert.ok(isValidDomain('setup.py', true));
    assert.ok(isValidDomain('EVIL.COM', false));
    assert.ok(!isValidDomain('System.IO', false));
    assert.ok(!isValidDomain(`${'a'.repeat(60)}.`.repeat(5) + 'com', false)); // 308 characters > 253
  });

  it('Bitcoin addresses', () => {
    assert.ok(isBase58Address('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'));
    assert.ok(isBase58Address('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'));
    assert.ok(!isBase58Address('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'));
    assert.ok(isSegwitAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'));
    assert.ok(isSegwitAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'));
    assert.ok(!isSegwitAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'));
    assert.ok(!isSegwitAddress('bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')); // mixed case
  });

  it('URLs', () => {
    assert.equal(trimUrl('http://a.com/x).'), 'http://a.com/x');
    assert.equal(trimUrl('http://a.com/(x)'), 'http://a.com/(x)');
    const u = parseUrl('HTTP://User@Evil.com:8080/Path?Q=1');
    assert.equal(u?.value, 'http://User@evil.com:8080/Path?Q=1');
    assert.deepEqual(u?.host, { type: 'domain', value: 'evil.com', start: 12, end: 20 });
    assert.equal(parseUrl('http://evil.com:0/'), null);
    assert.equal(parseUrl('http://evil.com:/'), null);
    assert.equal(parseUrl('http://[::1/'), null);
  });
});
