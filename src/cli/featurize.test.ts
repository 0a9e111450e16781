import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { fixtureWarninglistFile } from '../../test/fixtures/extract/warninglists.js';
import { fixtureArtefacts, loadFeatureCorpus } from '../../test/fixtures/features/corpus.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { ANOMALY_SUBDIR, loadAnomalyFeatures, readAnomalyManifest } from '../anomaly/index.js';
import { loadConfig } from '../config/index.js';
import { FEATURE_SPEC, featurize, serializeFeatureArtefacts } from '../features/index.js';
import { float32ToNumber } from './featurize.js';
import { EXIT, runCli } from './program.js';

const REFERENCE = '2024-09-01T00:00:00Z';

/** A recording context whose MODELS_DIR is `modelsDir`, so the default artefacts path is under test control. */
function context(stdin: string, modelsDir: string) {
  const ctx = recordingContext(stdin);
  ctx.loadConfig = (overrides = {}) => loadConfig({ ...overrides, MODELS_DIR: modelsDir });
  return ctx;
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        JSON.parse(l) as {
          vector: number[];
          explain?: { index: number; name: string; family: string; value: number }[];
        },
    );

describe('cyberstreams featurize', () => {
  let dir: string;
  let artefactsFile: string;
  let modelDir: string;
  let emptyModels: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-featurize-'));
    artefactsFile = join(dir, 'artefacts.json');
    await writeFile(artefactsFile, serializeFeatureArtefacts(fixtureArtefacts()));
    modelDir = join(dir, 'model');
    await mkdir(modelDir);
    await writeFile(join(modelDir, 'features.json'), serializeFeatureArtefacts(fixtureArtefacts()));
    emptyModels = join(dir, 'no-models');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one {"vector": [128 numbers]} line per input line, equal to featurize()', async () => {
    const docs = loadFeatureCorpus().slice(0, 5);
    const input = docs
      .map((d, i) => JSON.stringify({ ...d, published: `2024-08-0${i + 1}T10:00:00Z` }))
      .join('\n');
    const ctx = context(`${input}\n`, emptyModels);
    const code = await runCli(
      ['featurize', '--artefacts', artefactsFile, '--reference-time', REFERENCE],
      ctx,
      '0',
    );
    assert.equal(code, EXIT.ok, ctx.err);
    const out = lines(ctx.out);
    assert.equal(out.length, 5);
    const artefacts = fixtureArtefacts();
    out.forEach((line, i) => {
      assert.deepEqual(Object.keys(line), ['vector']);
      assert.equal(line.vector.length, 128);
      const expected = featurize(
        { ...docs[i]!, published: `2024-08-0${i + 1}T10:00:00Z` },
        { artefacts, referenceTime: Date.parse(REFERENCE) },
      );
      // Printed numbers read back as exactly the float32 values.
      assert.deepEqual(
        line.vector.map((x) => Math.fround(x)),
        Array.from(expected),
      );
    });
  });

  it('--explain adds the named non-zero slots; --model DIR reads DIR/features.json; --file reads a file', async () => {
    const file = join(dir, 'input.jsonl');
    await writeFile(
      file,
      '{"text": "Remote attackers can execute arbitrary code. It is actively exploited.", "id": "x1"}\n\n',
    );
    const ctx = context('', emptyModels);
    const code = await runCli(
      ['featurize', '--model', modelDir, '--file', file, '--explain', '--reference-time', REFERENCE],
      ctx,
      '0',
    );
    assert.equal(code, EXIT.ok, ctx.err);
    const [line] = lines(ctx.out);
    assert.ok(line?.explain);
    const names = new Map(line.explain.map((s) => [s.name, s]));
    assert.equal(names.get('tone.exploitation_evidence')?.value, 1);
    assert.equal(names.get('pat.remote')?.index, 106);
    assert.equal(names.get('kw.code_execution')?.family, 'keywords');
    for (const s of line.explain) {
      assert.notEqual(s.value, 0);
      assert.equal(FEATURE_SPEC.slots[s.index]?.name, s.name);
      assert.equal(line.vector[s.index], s.value);
    }
    assert.equal(line.explain.length, line.vector.filter((x) => x !== 0).length);
  });

  it('--warninglists with a warninglist file fills ent.warninglisted_share', async () => {
    const wl = join(dir, 'wl.json.gz');
    await writeFile(wl, gzipSync(JSON.stringify(fixtureWarninglistFile())));
    const input = '{"text": "Beacons to 9.9.9.9 and 203.0.113.5"}\n';
    const ctx = context(input, emptyModels);
    const args = ['featurize', '--artefacts', artefactsFile, '--reference-time', REFERENCE, '--explain'];
    assert.equal(
      await runCli([...args, '--warninglists', '--warninglist-file', wl], ctx, '0'),
      EXIT.ok,
      ctx.err,
    );
    const share = lines(ctx.out)[0]?.explain?.find((s) => s.name === 'ent.warninglisted_share');
    assert.equal(share?.value, 0.5);
    const plain = context(input, emptyModels);
    assert.equal(await runCli(args, plain, '0'), EXIT.ok);
    assert.equal(
      lines(plain.out)[0]?.explain?.find((s) => s.name === 'ent.warninglisted_share'),
      undefined,
    );
  });

  it('bad lines fail the whole run (exit 1), name every bad line, and print nothing', async () => {
    const input = [
      '{"text": "fine"}',
      '{"text": 42}',
      'not json',
      '',
      '{"text": "ok", "published": "last tuesday"}',
      '{"source": "x"}',
      '{"text": "fine again", "source": null, "published": null}',
    ].join('\n');
    const ctx = context(input, emptyModels);
    const code = await runCli(
      ['featurize', '--artefacts', artefactsFile, '--reference-time', REFERENCE],
      ctx,
      '0',
    );
    assert.equal(code, EXIT.failure);
    assert.equal(ctx.out, '');
    assert.match(ctx.err, /4 bad input lines, nothing was featurized/);
    assert.match(ctx.err, /line 2: text/);
    assert.match(ctx.err, /line 3: not valid JSON/);
    assert.match(ctx.err, /line 5: published "last tuesday" is not an ISO 8601/);
    assert.match(ctx.err, /line 6: /);
    assert.doesNotMatch(ctx.err, /line 1:|line 7:/);
  });

  it('without --artefacts or --model, the missing default names the options (exit 1)', async () => {
    const ctx = context('{"text": "x"}\n', emptyModels);
    assert.equal(await runCli(['featurize'], ctx, '0'), EXIT.failure);
    assert.match(
      ctx.err,
      /No feature artefacts in .*no-models\/severity \(the default: the shipped severity model/,
    );
    assert.match(ctx.err, /--artefacts FILE/);
    assert.match(ctx.err, /--model DIR/);
  });

  it('the default reads MODELS_DIR/severity/features.json when it exists', async () => {
    const models = join(dir, 'models');
    await mkdir(join(models, 'severity'), { recursive: true });
    await writeFile(join(models, 'severity', 'features.json'), serializeFeatureArtefacts(fixtureArtefacts()));
    const ctx = context('{"text": "x"}\n', models);
    assert.equal(await runCli(['featurize', '--reference-time', REFERENCE], ctx, '0'), EXIT.ok, ctx.err);
    assert.equal(lines(ctx.out)[0]?.vector.length, 128);
  });

  it('the default, with the shipped MODELS_DIR, uses the 128-slot artefacts of the shipped anomaly model, as the server does', async () => {
    const shippedModels = fileURLToPath(new URL('../../models', import.meta.url));
    const input = '{"text": "Exploitation of CVE-2021-44228 in Log4j allows remote code execution"}\n';
    const run = async (extra: string[]) => {
      const ctx = context(input, shippedModels);
      assert.equal(
        await runCli(['featurize', '--reference-time', REFERENCE, ...extra], ctx, '0'),
        EXIT.ok,
        ctx.err,
      );
      return lines(ctx.out)[0]?.vector;
    };
    const byDefault = await run([]);
    assert.equal(byDefault?.length, 128);
    const anomalyDir = join(shippedModels, 'severity', ANOMALY_SUBDIR);
    const artefacts = await loadAnomalyFeatures(anomalyDir, {
      manifest: await readAnomalyManifest(anomalyDir),
    });
    const expected = featurize(
      { text: JSON.parse(input).text },
      { artefacts, referenceTime: Date.parse(REFERENCE) },
    );
    assert.deepEqual(byDefault, Array.from(expected, float32ToNumber));
    // Both layouts of --model: the hashed model's directory (artefacts in anomaly/) and a directory with features.json.
    assert.deepEqual(await run(['--model', join(shippedModels, 'severity')]), byDefault);
    assert.deepEqual(await run(['--model', anomalyDir]), byDefault);
    const baseline = await run(['--model', join(shippedModels, 'severity-baseline')]);
    assert.equal(baseline?.length, 128);
    assert.notDeepEqual(baseline, byDefault);
  });

  it('the help says what the default is', async () => {
    const ctx = context('', emptyModels);
    assert.equal(await runCli(['featurize', '--help'], ctx, '0'), EXIT.ok);
    assert.match(
      ctx.out.replace(/\s+/g, ' '),
      /default: MODELS_DIR\/severity, the shipped model, whose anomaly\/ holds them/,
    );
  });

  it('refuses corrupt artefacts, missing files and bad options with clear errors', async () => {
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"format": "cyberstreams-features", "formatVersion": 1}');
    let ctx = context('{"text": "x"}\n', emptyModels);
    assert.equal(await runCli(['featurize', '--artefacts', corrupt], ctx, '0'), EXIT.failure);
    assert.match(ctx.err, /corrupt\.json is invalid/);
    assert.equal(ctx.out, '');

    ctx = context('{"text": "x"}\n', emptyModels);
    assert.equal(await runCli(['featurize', '--artefacts', join(dir, 'nope.json')], ctx, '0'), EXIT.failure);
    assert.match(ctx.err, /nope\.json: no such file/);

    ctx = context('', emptyModels);
    assert.equal(
      await runCli(['featurize', '--artefacts', artefactsFile, '--file', join(dir, 'nope.jsonl')], ctx, '0'),
      EXIT.failure,
    );
    assert.match(ctx.err, /Cannot read input .*nope\.jsonl: no such file/);

    const latin1 = join(dir, 'latin1.jsonl');
    await writeFile(
      latin1,
      Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    );
    ctx = context('', emptyModels);
    assert.equal(
      await runCli(['featurize', '--artefacts', artefactsFile, '--file', latin1], ctx, '0'),
      EXIT.failure,
    );
    assert.match(ctx.err, /not UTF-8/);

    ctx = context('', emptyModels);
    assert.equal(
      await runCli(['featurize', '--artefacts', artefactsFile, '--model', modelDir], ctx, '0'),
      EXIT.usage,
    );
    assert.match(ctx.err, /either --artefacts FILE or --model DIR/);

    ctx = context('', emptyModels);
    assert.equal(
      await runCli(['featurize', '--artefacts', artefactsFile, '--reference-time', 'soon'], ctx, '0'),
      EXIT.usage,
    );
    assert.match(ctx.err, /--reference-time must be an ISO 8601/);
  });

  it('--spec prints the documented layout without needing artefacts or input', async () => {
    const ctx = context('', emptyModels);
    assert.equal(await runCli(['featurize', '--spec'], ctx, '0'), EXIT.ok, ctx.err);
    const spec = JSON.parse(ctx.out) as typeof FEATURE_SPEC;
    assert.equal(spec.version, FEATURE_SPEC.version);
    assert.equal(spec.slots.length, 128);
    assert.equal(spec.slots[75]?.name, 'tone.urgency');
    assert.deepEqual(spec.families.patterns, [100, 128]);
  });

  it('empty input prints nothing and succeeds', async () => {
    const ctx = context('\n\n', emptyModels);
    assert.equal(await runCli(['featurize', '--artefacts', artefactsFile], ctx, '0'), EXIT.ok, ctx.err);
    assert.equal(ctx.out, '');
  });
});

describe('float32ToNumber', () => {
  it('gives the shortest decimal that reads back as the same float32', () => {
    for (const x of [0, 1, -1, 0.1, 1 / 3, 1e-30, 123456.789, -0.98]) {
      const f = Math.fround(x);
      const printed = float32ToNumber(f);
      assert.equal(Math.fround(printed), f);
      assert.ok(String(printed).length <= 16, String(printed));
    }
    assert.equal(float32ToNumber(Math.fround(0.1)), 0.1);
  });
});
