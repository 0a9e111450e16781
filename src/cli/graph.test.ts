import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordingContext } from '../../test/helpers/cli.js';
import { loadConfig } from '../config/index.js';
import { cypherProblem, stixBundleProblems } from '../graph/index.js';
import { EXIT, runCli } from './program.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/graph/${name}`, import.meta.url));

function contextIn(dir: string, stdin = '') {
  const ctx = recordingContext(stdin);
  ctx.loadConfig = (overrides = {}) => loadConfig({ DATA_DIR: dir, ...overrides });
  return ctx;
}

const lastJson = (out: string): unknown => JSON.parse(out.trimEnd().split('\n').at(-1) as string);

test('graph import, stats, query, patterns, enrich and export work end to end on a SQLite graph', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cli-graph-'));
  try {
    let ctx = contextIn(dir);
    const files = [
      'attack-mini.json',
      'feed-bundle.json',
      'misp-threat-actor.json',
      'misp-country.json',
      'kev-sample.json',
    ];
    assert.equal(await runCli(['graph', 'import', ...files.map(fixture)], ctx, '0'), EXIT.ok, ctx.err);
    const reports = lastJson(ctx.out) as { format: string; skippedCount: number }[];
    assert.deepEqual(
      reports.map((r) => r.format),
      ['stix', 'stix', 'misp-galaxy', 'kev'],
    );
    assert.match(ctx.err, /graph: stix read \d+\/\d+/);
    assert.match(ctx.err, /skipped .*no name/);

    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'stats'], ctx, '0'), EXIT.ok, ctx.err);
    const stats = lastJson(ctx.out) as { nodes: number; edges: number; nodesByType: Record<string, number> };
    assert.ok(stats.nodes > 30);

    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'query', 'alias', 'Fancy Bear'], ctx, '0'), EXIT.ok, ctx.err);
    assert.ok((lastJson(ctx.out) as { id: string }[]).some((a) => a.id === 'actor:G0007'));

    ctx = contextIn(dir);
    assert.equal(
      await runCli(
        ['graph', 'query', 'neighbours', 'Fancy Bear', '--depth', '2', '--types', 'Actor'],
        ctx,
        '0',
      ),
      EXIT.ok,
      ctx.err,
    );
    const hood = lastJson(ctx.out) as { start: string; neighbours: { id: string }[] };
    assert.equal(hood.start, 'actor:G0007');
    assert.ok(hood.neighbours.some((n) => n.id === 'actor:G0032'));

    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'query', 'path', 'G0016', 'M1042'], ctx, '0'), EXIT.ok, ctx.err);
    const path = lastJson(ctx.out) as { nodes: { id: string }[] };
    assert.equal(path.nodes[0]?.id, 'actor:G0016');
    assert.equal(path.nodes.at(-1)?.id, 'mitigation:M1042');

    ctx = contextIn(dir);
    assert.equal(
      await runCli(['graph', 'query', 'shared', 'APT28', '--via', 'Technique'], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    assert.ok((lastJson(ctx.out) as { id: string }[]).length > 0);

    ctx = contextIn(dir);
    assert.equal(
      await runCli(
        ['graph', 'patterns', 'mine', '--min-support', '0.2', '--min-lift', '1', '--min-confidence', '0.5'],
        ctx,
        '0',
      ),
      EXIT.ok,
      ctx.err,
    );
    assert.ok((lastJson(ctx.out) as { rules: number }).rules > 0);
    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'patterns', 'suggest', 'T1566.001'], ctx, '0'), EXIT.ok, ctx.err);
    assert.ok(Array.isArray(lastJson(ctx.out)));

    const request = join(dir, 'req.json');
    writeFileSync(
      request,
      JSON.stringify({
        text: 'Fancy Bear again',
        techniques: [{ id: 'T1566.001', score: 0.8 }],
        cves: ['CVE-2021-44228'],
      }),
    );
    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'enrich', request], ctx, '0'), EXIT.ok, ctx.err);
    const enriched = lastJson(ctx.out) as { actors: { id: string }[]; vulnerabilities: { inKev: boolean }[] };
    assert.equal(enriched.actors[0]?.id, 'actor:G0007');
    assert.equal(enriched.vulnerabilities[0]?.inKev, true);
    ctx = contextIn(dir, JSON.stringify({ text: 'APT29' }));
    assert.equal(await runCli(['graph', 'enrich'], ctx, '0'), EXIT.ok, ctx.err);
    assert.equal((lastJson(ctx.out) as { actors: { id: string }[] }).actors[0]?.id, 'actor:G0016');

    const cypher = join(dir, 'graph.cypher');
    ctx = contextIn(dir);
    assert.equal(
      await runCli(['graph', 'export', '--format', 'cypher', '--out', cypher], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    const lines = readFileSync(cypher, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 11 + stats.nodes + stats.edges);
    for (const l of lines) assert.equal(cypherProblem(l), undefined, l);
    assert.equal(lines.filter((l) => l.startsWith('MERGE (n:')).length, stats.nodes);

    ctx = contextIn(dir);
    assert.equal(
      await runCli(['graph', 'export', '--format', 'stix', '--node', 'APT28'], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    assert.deepEqual(stixBundleProblems(JSON.parse(ctx.out)), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graph commands report usage errors with exit 2 and bad input with exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cli-graph-'));
  try {
    writeFileSync(join(dir, 'bad-request.json'), JSON.stringify({ techniques: [{ id: 'T1', score: 3 }] }));
    const cases: [string[], number][] = [
      [['graph', 'enrich', join(dir, 'bad-request.json')], EXIT.failure],
      [['graph', 'import'], EXIT.usage],
      [['graph', 'import', '--builtin', fixture('kev-sample.json')], EXIT.usage],
      [['graph', 'export', '--format', 'xml'], EXIT.usage],
      [['graph', 'export', '--format', 'stix'], EXIT.usage],
      [['graph', 'query', 'neighbours', 'x', '--types', 'Planet'], EXIT.usage],
      [['graph', 'query', 'neighbours'], EXIT.usage],
      [['graph', 'query', 'nowhere'], EXIT.usage],
      [['graph', 'import', join(dir, 'missing.json')], EXIT.failure],
      [['graph', 'query', 'neighbours', 'No Such Actor'], EXIT.failure],
      [['graph', 'export', '--format', 'stix', '--node', 'nothing'], EXIT.failure],
    ];
    for (const [argv, code] of cases) {
      const ctx = contextIn(dir);
      assert.equal(await runCli(argv, ctx, '0'), code, `${argv.join(' ')}: ${ctx.err}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graph patterns suggest refuses an id that is not an ATT&CK technique id (exit 2), and takes T1234 and T1234.001', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cli-graph-'));
  try {
    for (const bad of ['X1', 'T123', 'T1059.1', 't1059', 'APT28']) {
      const ctx = contextIn(dir);
      assert.equal(await runCli(['graph', 'patterns', 'suggest', 'T1566', bad], ctx, '0'), EXIT.usage, bad);
      assert.match(
        ctx.err,
        new RegExp(`Not ATT&CK technique ids: "${bad}" \\(expected T1234 or T1234\\.001\\)`),
      );
      assert.equal(ctx.out, '');
    }
    const ctx = contextIn(dir);
    assert.equal(
      await runCli(['graph', 'patterns', 'suggest', 'T1566.001', 'T1204'], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    assert.deepEqual(lastJson(ctx.out), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graph import exits 1 when the files hold records but none was imported; an empty bundle is not an error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cli-graph-'));
  try {
    const unnamed = (type: string, n: number) => ({
      type,
      spec_version: '2.1',
      id: `${type}--0b4b2a3e-1c1f-4d8e-9a55-0d6c2d7e9f0${n}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
    });
    const allSkipped = join(dir, 'all-skipped.json');
    writeFileSync(
      allSkipped,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--6b4b2a3e-1c1f-4d8e-9a55-0d6c2d7e9f01',
        objects: [unnamed('intrusion-set', 2), { ...unnamed('malware', 3), is_family: true }],
      }),
    );
    let ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'import', allSkipped], ctx, '0'), EXIT.failure);
    assert.match(ctx.err, /skipped intrusion-set--\S+: no name/);
    assert.match(ctx.err, /cyberstreams: Nothing was imported: of 2 records, 2 were skipped and 0 ignored/);
    const reports = lastJson(ctx.out) as { imported: number; skippedCount: number }[];
    assert.deepEqual(
      reports.map((r) => [r.imported, r.skippedCount]),
      [[0, 2]],
    );

    const empty = join(dir, 'empty.json');
    writeFileSync(
      empty,
      JSON.stringify({ type: 'bundle', id: 'bundle--6b4b2a3e-1c1f-4d8e-9a55-0d6c2d7e9f09', objects: [] }),
    );
    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'import', empty], ctx, '0'), EXIT.ok, ctx.err);

    ctx = contextIn(dir);
    assert.equal(await runCli(['graph', 'import', '--help'], ctx, '0'), EXIT.ok);
    assert.match(ctx.out, /Exits 1 when the files hold records but none of them was imported/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
