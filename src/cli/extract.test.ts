import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixtureWarninglistFile } from '../../test/fixtures/extract/warninglists.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

const KEYS = [
  'ipv4s',
  'ipv6s',
  'domains',
  'urls',
  'emails',
  'cves',
  'md5s',
  'sha1s',
  'sha256s',
  'sha512s',
  'asns',
  'cidrs',
  'macs',
  'bitcoinAddresses',
  'attackIds',
  'registryKeys',
  'filePaths',
  'matches',
];

describe('cyberstreams extract', () => {
  let dir: string;
  let wl: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-extract-'));
    wl = join(dir, 'warninglists.json.gz');
    await writeFile(wl, gzipSync(JSON.stringify(fixtureWarninglistFile())));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads stdin and prints one JSON object with every key', async () => {
    const text = 'C2 hxxp://evil[.]com/x at 10.1.2.3; CVE-2021-44228';
    const ctx = recordingContext(text);
    assert.equal(await runCli(['extract', '--warninglist-file', wl], ctx, '0'), EXIT.ok);
    assert.equal(ctx.out.trim().split('\n').length, 1);
    const out = JSON.parse(ctx.out);
    assert.deepEqual(Object.keys(out), KEYS);
    assert.deepEqual(out.urls, ['http://evil.com/x']);
    assert.deepEqual(out.cves, ['CVE-2021-44228']);
    const ip = out.matches.find((m: { type: string }) => m.type === 'ipv4');
    assert.deepEqual(ip, {
      type: 'ipv4',
      value: '10.1.2.3',
      raw: '10.1.2.3',
      start: text.indexOf('10.1.2.3'),
      end: text.indexOf('10.1.2.3') + 8,
      warninglists: [
        {
          name: 'Fixture private and resolver networks',
          description:
            'Test fixture: RFC 1918 networks, one resolver address, an IPv6 documentation prefix and one malformed entry.',
        },
      ],
    });
  });

  it('reads --file and skips flagging with --no-warninglists', async () => {
    const file = join(dir, 'report.txt');
    await writeFile(file, 'beacon 10.1.2.3\n');
    const ctx = recordingContext('ignored 1.1.1.1');
    assert.equal(await runCli(['extract', '--file', file, '--no-warninglists'], ctx, '0'), EXIT.ok);
    const out = JSON.parse(ctx.out);
    assert.deepEqual(out.ipv4s, ['10.1.2.3']);
    assert.deepEqual(out.matches[0].warninglists, []);
  });

  it('fails with a clear message and exit 1 on unreadable input', async () => {
    const missing = recordingContext();
    assert.equal(await runCli(['extract', '--file', join(dir, 'nope.txt')], missing, '0'), EXIT.failure);
    assert.match(missing.err, /Cannot read .*nope\.txt: no such file/);
    assert.equal(missing.out, '');

    const directory = recordingContext();
    assert.equal(await runCli(['extract', '--file', dir], directory, '0'), EXIT.failure);
    assert.match(directory.err, /is a directory/);

    const binary = join(dir, 'binary.bin');
    await writeFile(binary, Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    const notUtf8 = recordingContext();
    assert.equal(await runCli(['extract', '--file', binary], notUtf8, '0'), EXIT.failure);
    assert.match(notUtf8.err, /not UTF-8/);

    const failingStdin = { ...recordingContext(), readStdin: async () => Promise.reject(new Error('EIO')) };
    let err = '';
    failingStdin.stderr = (s: string) => {
      err += s;
    };
    assert.equal(await runCli(['extract'], failingStdin, '0'), EXIT.failure);
    assert.match(err, /Cannot read standard input: EIO/);
  });

  it('fails with exit 1 when the warninglist file is missing', async () => {
    const ctx = recordingContext('1.2.3.4');
    assert.equal(
      await runCli(['extract', '--warninglist-file', join(dir, 'none.gz')], ctx, '0'),
      EXIT.failure,
    );
    assert.match(ctx.err, /npm run build:warninglists/);
  });

  it('treats a missing option argument as a usage error (exit 2)', async () => {
    assert.equal(await runCli(['extract', '--file'], recordingContext(), '0'), EXIT.usage);
  });
});
