import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordingContext } from '../../test/helpers/cli.js';
import { EXIT, runCli } from './program.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/severity/', import.meta.url));

test('import writes normalised JSON lines and reports every skip', async () => {
  const ctx = recordingContext();
  assert.equal(await runCli(['import', join(FIX, 'nvd2.json')], ctx, '0'), EXIT.ok, ctx.err);
  const lines = ctx.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], {
    id: 'CVE-2024-2001',
    text: 'Heap overflow in Example Image Library 2.0 allows remote code execution via a crafted PNG file.',
    severity: 'critical',
    labelSource: 'cvss-cna-via-nvd',
    source: 'security@example.com',
    published: '2024-08-05T15:15:10.000Z',
    cwes: ['CWE-122'],
  });
  assert.equal(lines[2]?.severity, null);
  assert.match(ctx.err, /skipped .*#vulnerabilities\[2\] \(CVE-2024-2003\): record status is Rejected/);
  const summary = JSON.parse(ctx.err.trim().split('\n').at(-1) as string) as {
    imported: number;
    skipped: number;
  };
  assert.deepEqual([summary.imported, summary.skipped], [3, 2]);
});

test('import --out writes a file that eval reads; bad format is a usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cs-import-'));
  try {
    const out = join(dir, 'x.jsonl');
    const ctx = recordingContext();
    assert.equal(
      await runCli(['import', join(FIX, 'stix21-bundle.json'), '--out', out], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(ctx.out, /"imported":3/);
    assert.equal(
      await runCli(['import', join(FIX, 'nvd2.json'), '--format', 'pdf'], recordingContext(), '0'),
      EXIT.usage,
    );
    const missing = recordingContext();
    assert.equal(await runCli(['import', join(dir, 'none.json')], missing, '0'), EXIT.failure);
    assert.match(missing.err, /Cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
