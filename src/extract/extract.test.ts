import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countIndicators, extractIndicators } from './extract.js';
import { INDICATOR_TYPES, LIST_KEY, type ListKey } from './types.js';

/** The list `key` of the extraction of `text`. */
const list = (text: string, key: ListKey): string[] => extractIndicators(text)[key];

describe('extractIndicators: every type', () => {
  const positives: [ListKey, string, string[]][] = [
    ['ipv4s', 'C2 at 203.0.113.7:443 and 198.51.100.1.', ['203.0.113.7', '198.51.100.1']],
    [
      'ipv6s',
      'via 2001:db8::1 and [2001:db8:0:0:1:0:0:1] and ::ffff:192.0.2.1',
      ['2001:db8::1', '2001:db8:0:0:1:0:0:1', '::ffff:192.0.2.1'],
    ],
    [
      'domains',
      'Resolved evil-domain.com and Sub.Example.org, not Code.IO.',
      ['evil-domain.com', 'sub.example.org'],
    ],
    ['urls', 'Download https://evil.com/a/b.php?id=1&x=2#f now', ['https://evil.com/a/b.php?id=1&x=2#f']],
    ['emails', 'Sent from Bad.Actor+x@evil-mail.com today', ['bad.actor+x@evil-mail.com']],
    [
      'cves',
      'Exploits CVE-2021-44228, cve-2017-0144 and CVE-2024-123456',
      ['CVE-2021-44228', 'CVE-2017-0144', 'CVE-2024-123456'],
    ],
    ['md5s', 'md5 44D88612FEA8A8F36DE82E1278ABB02F', ['44d88612fea8a8f36de82e1278abb02f']],
    ['sha1s', 'sha1 3395856ce81f2b7382dee72602f798b642f14140', ['3395856ce81f2b7382dee72602f798b642f14140']],
    [
      'sha256s',
      'sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      ['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'],
    ],
    [
      'sha512s',
      `sha512 ${'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'}`,
      [
        'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
      ],
    ],
    ['asns', 'Hosted in AS13335, ASN 15169 and asn:64512', ['AS13335', 'AS15169', 'AS64512']],
    [
      'cidrs',
      'Blocks 10.0.0.0/8, 192.0.2.0/24 and 2001:db8::/32',
      ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'],
    ],
    ['macs', 'MAC 00:1A:2B:3C:4D:5E or 00-1a-2b-3c-4d-5f', ['00:1a:2b:3c:4d:5e', '00:1a:2b:3c:4d:5f']],
    [
      'bitcoinAddresses',
      'Pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy or bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      [
        '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
        '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
        'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      ],
    ],
    [
      'attackIds',
      'Used T1059, T1059.001, TA0001, G0007, S0154, M1036 and C0010.',
      ['T1059', 'T1059.001', 'TA0001', 'G0007', 'S0154', 'M1036', 'C0010'],
    ],
    [
      'registryKeys',
      'Persists in HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run and HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon.',
      [
        'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      ],
    ],
    [
      'filePaths',
      'Drops C:\\Users\\Public\\svc.exe, C:\\Program Files\\Common Files\\x.dll, %APPDATA%\\Roaming\\a.bat, \\\\fileserver\\share\\p.ps1, /tmp/.x/payload.sh and ~/.ssh/authorized_keys.',
      [
        'C:\\Users\\Public\\svc.exe',
        'C:\\Program Files\\Common Files\\x.dll',
        '%APPDATA%\\Roaming\\a.bat',
        '\\\\fileserver\\share\\p.ps1',
        '/tmp/.x/payload.sh',
        '~/.ssh/authorized_keys',
      ],
    ],
  ];
  for (const [key, text, expected] of positives) {
    it(`finds ${key}`, () => {
      assert.deepEqual(list(text, key), expected);
    });
  }

  it('reports every list key, empty when nothing was found', () => {
    const e = extractIndicators('');
    for (const t of INDICATOR_TYPES) assert.deepEqual(e[LIST_KEY[t]], []);
    assert.deepEqual(e.matches, []);
    assert.deepEqual(Object.keys(e), [...INDICATOR_TYPES.map((t) => LIST_KEY[t]), 'matches']);
  });
});

describe('extractIndicators: defanged forms end up refanged', () => {
  const cases: [string, ListKey, string][] = [
    ['hxxp://evil[.]com/x', 'urls', 'http://evil.com/x'],
    ['hXXps[:]//evil(.)com[/]x', 'urls', 'https://evil.com/x'],
    ['meow://evil{.}com', 'urls', 'http://evil.com'],
    ['http[://]evil[dot]com/', 'urls', 'http://evil.com/'],
    ['evil dot com', 'domains', 'evil.com'],
    ['evil . com', 'domains', 'evil.com'],
    ['evil\\.com', 'domains', 'evil.com'],
    ['192.168.1[.]1', 'ipv4s', '192.168.1.1'],
    ['192,168,1,1', 'ipv4s', '192.168.1.1'],
    ['192.168.1 .1', 'ipv4s', '192.168.1.1'],
    ['user[at]evil[.]com', 'emails', 'user@evil.com'],
    ['user(at)evil(dot)com', 'emails', 'user@evil.com'],
    ['user[@]evil.com', 'emails', 'user@evil.com'],
    ['user [at] evil [dot] com', 'emails', 'user@evil.com'],
    ['evil\u200B.com', 'domains', 'evil.com'],
  ];
  for (const [text, key, value] of cases) {
    it(`${JSON.stringify(text)} -> ${value}`, () => {
      const e = extractIndicators(text);
      assert.deepEqual(e[key], [value]);
      const m = e.matches.find((x) => x.value === value)!;
      assert.equal(text.slice(m.start, m.end), m.raw);
    });
  }
});

describe('extractIndicators: validation', () => {
  it('rejects IPv4 octets above 255 and leading zeros, and dotted versions', () => {
    assert.deepEqual(
      list('256.1.1.1 1.2.3.999 010.1.1.1 1.02.3.4 1.2.3.4.5 1.2.3 B1130.1.0.0.exe', 'ipv4s'),
      [],
    );
    // Letters may touch an address (text extracted from PDF tables).
    assert.deepEqual(list('IP Address194.135.24[.]241IP Address', 'ipv4s'), ['194.135.24.241']);
    assert.deepEqual(list('0.0.0.0 and 255.255.255.255', 'ipv4s'), ['0.0.0.0', '255.255.255.255']);
  });

  it('parses IPv6 instead of trusting the shape', () => {
    assert.deepEqual(list('1::2::3 12:30:45 1:2:3:4:5:6 std::vector d:: ::1 gggg::1', 'ipv6s'), []);
    assert.deepEqual(list('fe80::1%eth0', 'ipv6s'), ['fe80::1']);
  });

  it('accepts only IANA TLDs, and treats file names and code as such', () => {
    assert.deepEqual(list('evil.invalidtld setup.exe config.json', 'domains'), []);
    assert.deepEqual(list('readme.md setup.py install.sh invoice.zip System.IO e.g. i.e.', 'domains'), []);
    // Defanged or with a sub-domain, the same TLDs are hosts.
    assert.deepEqual(list('evil[.]zip www.evil.zip', 'domains'), ['evil.zip', 'www.evil.zip']);
    assert.deepEqual(list('xn--80ak6aa92e.xn--p1ai', 'domains'), ['xn--80ak6aa92e.xn--p1ai']);
    assert.deepEqual(list('the dot com bubble, meet (at) noon', 'domains'), []);
  });

  it('bounds hashes so a SHA-256 never yields an MD5 or SHA-1', () => {
    const sha256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
    const e = extractIndicators(`hash ${sha256}`);
    assert.deepEqual(e.sha256s, [sha256]);
    assert.deepEqual([...e.md5s, ...e.sha1s, ...e.sha512s], []);
    // 33 and 63 hex digits: no hash at all; a hex run glued to a word: none either.
    assert.equal(extractIndicators(`${'a1'.repeat(16)}b ${sha256.slice(1)} x${sha256}`).matches.length, 0);
    // 32 decimal digits is a number, 32 letters a-f a word.
    assert.deepEqual(list(`${'1234567890'.repeat(3)}12 ${'abcdef'.repeat(5)}ab`, 'md5s'), []);
  });

  it('wants CVE ids with a 4-digit year and 4 or more digits', () => {
    assert.deepEqual(
      list('CVE-21-44228 CVE-2021-442 CVE-1899-1234 CVE-2021-44228123 1CVE-2021-44228', 'cves'),
      [],
    );
    // Letters may touch the distinctive CVE prefix (PDF text).
    assert.deepEqual(list('GrandstreamCVE-2020-25223WebAdmin', 'cves'), ['CVE-2020-25223']);
    assert.deepEqual(list('CVE-1999-0001 CVE_2020_0601 CVE\u20112023\u20114966', 'cves'), [
      'CVE-1999-0001',
      'CVE-2020-0601',
      'CVE-2023-4966',
    ]);
  });

  it('trims trailing punctuation from URLs and keeps balanced brackets', () => {
    assert.deepEqual(list('(see https://evil.com/a).', 'urls'), ['https://evil.com/a']);
    assert.deepEqual(
      list('"https://evil.com/x?y=1", and https://en.example.org/wiki/Foo_(bar); done', 'urls'),
      ['https://evil.com/x?y=1', 'https://en.example.org/wiki/Foo_(bar)'],
    );
    assert.deepEqual(list('go to https://evil.com/path...', 'urls'), ['https://evil.com/path']);
    assert.deepEqual(list('request to “hxxp://api.ipify[.]org”, a free API', 'urls'), [
      'http://api.ipify.org',
    ]);
  });

  it('finds URLs glued to the text around them, as PDF extraction leaves them', () => {
    assert.deepEqual(list('Downloaded fromhttps://od[.]lk/d/x\nnext', 'urls'), ['https://od.lk/d/x']);
    assert.deepEqual(list('URLshxxps://a[.]evil[.]com/h/79b7c6ed0hxxp://b[.]evil[.]com/x.dll', 'urls'), [
      'https://a.evil.com/h/79b7c6ed0',
      'http://b.evil.com/x.dll',
    ]);
    // A scheme makes a file-extension TLD a host.
    assert.deepEqual(list('> http://dbexport.zip resolved', 'urls'), ['http://dbexport.zip']);
  });

  it('rejects URLs without a valid host or port', () => {
    assert.deepEqual(
      list('http://localhost/x http://intranet/ http://999.1.1.1/ http://evil.com:99999/', 'urls'),
      [],
    );
    assert.deepEqual(list('http://user:pw@evil.com:8080/x http://[2001:db8::1]:443/', 'urls'), [
      'http://user:pw@evil.com:8080/x',
      'http://[2001:db8::1]:443/',
    ]);
  });

  it('reports a CIDR as a network, not also as a bare address', () => {
    const e = extractIndicators('block 198.51.100.0/24 and 2001:db8::/48');
    assert.deepEqual(e.cidrs, ['198.51.100.0/24', '2001:db8::/48']);
    assert.deepEqual(e.ipv4s, []);
    assert.deepEqual(e.ipv6s, []);
    // An impossible prefix leaves the address.
    assert.deepEqual(list('1.2.3.4/33', 'ipv4s'), ['1.2.3.4']);
  });

  it('checks Bitcoin checksums', () => {
    // One character changed in each: the checksum fails.
    assert.deepEqual(
      list(
        '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
        'bitcoinAddresses',
      ),
      [],
    );
  });

  it('checks ASN range and ATT&CK id shapes', () => {
    assert.deepEqual(list('AS0 AS4294967296 AS007 as123 AS', 'asns'), []);
    assert.deepEqual(list('T999 T10591 T1059.1 TA01 S9999 ST1059 T1059.001.2', 'attackIds'), []);
  });

  it('does not report the host of an e-mail as a domain, but does report the host of a URL', () => {
    const e = extractIndicators('mail bob@evil.com, visit http://evil.org/x');
    assert.deepEqual(e.emails, ['bob@evil.com']);
    assert.deepEqual(e.domains, ['evil.org']);
    const host = e.matches.find((m) => m.type === 'domain')!;
    assert.equal(host.raw, 'evil.org');
  });

  it('does not report domains inside file paths or registry keys', () => {
    const e = extractIndicators('C:\\Users\\x\\evil.com and HKLM\\Software\\evil.net\\Run');
    assert.deepEqual(e.domains, []);
    assert.equal(e.filePaths.length, 1);
    assert.equal(e.registryKeys.length, 1);
  });
});

describe('extractIndicators: lists and matches', () => {
  it('lists unique values in order of first appearance, and every occurrence in matches', () => {
    const text = 'b.com a.com b.com B.COM a.com';
    const e = extractIndicators(text);
    assert.deepEqual(e.domains, ['b.com', 'a.com']);
    assert.equal(e.matches.length, 5);
    assert.deepEqual(
      e.matches.map((m) => [m.start, m.end]),
      [
        [0, 5],
        [6, 11],
        [12, 17],
        [18, 23],
        [24, 29],
      ],
    );
  });

  it('gives offsets into the original text for any input (property)', () => {
    const parts = fc.constantFrom(
      'hxxp://',
      'evil',
      '[.]',
      '(dot)',
      ' dot ',
      'com',
      '1.2.3.4',
      '192,168,1,1',
      ' ',
      '\u200B',
      '@',
      '[at]',
      '/x',
      'é',
      '🙂',
      '.',
      'CVE-2021-44228',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 40 }), (chunks) => {
        const text = chunks.join('');
        const e = extractIndicators(text);
        for (const m of e.matches) {
          assert.equal(text.slice(m.start, m.end), m.raw);
          assert.ok(m.start < m.end);
        }
        for (let i = 1; i < e.matches.length; i++) assert.ok(e.matches[i - 1]!.start <= e.matches[i]!.start);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('countIndicators', () => {
  it('counts unique values per type', () => {
    const counts = countIndicators(extractIndicators('1.2.3.4 1.2.3.4 5.6.7.8 evil.com CVE-2021-44228'));
    assert.equal(counts.ipv4, 2);
    assert.equal(counts.domain, 1);
    assert.equal(counts.cve, 1);
    assert.equal(counts.md5, 0);
    assert.deepEqual(Object.keys(counts), [...INDICATOR_TYPES]);
  });
});
