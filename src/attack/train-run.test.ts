import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFixtureDataDir } from '../../test/fixtures/attack/fixture-data.js';
import { isAppError } from '../core/index.js';
import { hashDataFiles, loadTechniqueCorpus } from './data/sources.js';
import { splitByReport } from './data/split.js';
import { loadTechniqueModel } from './technique-model.js';
import { runTechniqueTraining } from './train-run.js';

const SETTINGS = {
  hashBits: '12',
  epochs: '20',
  baselineEpochs: '20',
  validationShare: '0.2',
  testShare: '0.2',
};

test('the corpus reads the TRAM and ATT&CK formats and the split keeps every report on one side', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-attack-data-'));
  try {
    writeFixtureDataDir(dir);
    const corpus = loadTechniqueCorpus(dir, hashDataFiles(dir).sha256);
    assert.deepEqual(corpus.labels, ['T1003.001', 'T1059.003', 'T1105', 'T1113']);
    assert.equal(corpus.names['T1003.001'], 'OS Credential Dumping: LSASS Memory');
    const procedures = corpus.units.filter((u) => u.source === 'attack-procedure');
    // Citations and markdown links are stripped; the out-of-space technique is marked outside.
    assert.ok(procedures.every((u) => !u.text.includes('(Citation') && !u.text.includes('](')));
    assert.ok(procedures.some((u) => u.outside && u.text.startsWith('Fixture Group encrypted files')));
    // A bootstrap sentence that is a span of report 1 belongs to report 1; the others to none.
    const boot = corpus.units.filter((u) => u.source === 'bootstrap');
    assert.equal(boot.filter((u) => u.report === 'report-1.mjson').length, 1);
    assert.ok(boot.filter((u) => u.report === null).length > 0);
    // Report sentences: the spans' sentences carry techniques, the others are negatives.
    const sentences = corpus.units.filter(
      (u) => u.source === 'report-sentence' && u.report === 'report-2.mjson',
    );
    assert.ok(sentences.some((u) => u.techniques.length === 0 && !u.outside));
    assert.ok(sentences.some((u) => u.techniques.includes('T1113')));

    const split = splitByReport(corpus, { seed: 3, validation: 0.2, test: 0.2 });
    const sides = new Map<string, Set<string>>();
    for (const part of ['train', 'validation', 'test'] as const) {
      for (const u of split[part]) {
        if (u.report === null) {
          assert.equal(part, 'train', 'units without a report are training only');
          continue;
        }
        sides.set(u.report, (sides.get(u.report) ?? new Set()).add(part));
      }
    }
    for (const [report, parts] of sides) assert.equal(parts.size, 1, `${report} is on ${[...parts]}`);
    assert.ok(split.validation.length > 0 && split.test.length > 0);
    // The bootstrap copy of report 1's span is dropped from training when report 1 is held out.
    if (split.sideOfReport.get('report-1.mjson') !== 'train') assert.ok(split.droppedDuplicates >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a training run writes a loadable model, its figures and EVALUATION.md', () => {
  const data = mkdtempSync(join(tmpdir(), 'cs-attack-data-'));
  const out = mkdtempSync(join(tmpdir(), 'cs-attack-out-'));
  try {
    writeFixtureDataDir(data);
    const lines: string[] = [];
    const result = runTechniqueTraining({
      dataDir: data,
      out,
      seed: 5,
      settings: SETTINGS,
      now: new Date('2026-02-03T04:05:06Z'),
      log: (l) => lines.push(l),
    });
    assert.ok(lines.some((l) => l.includes('epoch 20/20')));
    assert.equal(result.manifest.createdAt, '2026-02-03T04:05:06.000Z');
    assert.equal(result.manifest.training.hyperparameters.hashBits, 12);
    assert.ok(result.model['test-spans'].n > 0);
    // Separable fixture sentences: the held-out report's spans are found.
    assert.ok(
      result.model['test-spans'].microF1 >= 0.75,
      `test micro-F1 ${result.model['test-spans'].microF1}`,
    );
    assert.ok(existsSync(join(out, 'EVALUATION.md')));
    const report = readFileSync(join(out, 'EVALUATION.md'), 'utf8');
    assert.match(report, /0\.855/);
    assert.match(report, /0\.906/);
    assert.match(report, /TF-IDF \+ logistic regression/);
    const model = loadTechniqueModel(out);
    assert.deepEqual(model.labels, ['T1003.001', 'T1059.003', 'T1105', 'T1113']);
    assert.equal(model.manifest.metrics['test-spans']?.microF1, result.model['test-spans'].microF1);
  } finally {
    rmSync(data, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('the refit adds the validation reports to training and keeps the thresholds tuned on validation', () => {
  const data = mkdtempSync(join(tmpdir(), 'cs-attack-data-'));
  const outs = {
    first: mkdtempSync(join(tmpdir(), 'cs-attack-out-')),
    refit: mkdtempSync(join(tmpdir(), 'cs-attack-out-')),
  };
  try {
    writeFixtureDataDir(data);
    const train = (out: string, refit: string) =>
      runTechniqueTraining({
        dataDir: data,
        out,
        seed: 5,
        settings: { ...SETTINGS, refit },
        now: new Date(0),
        log: () => {},
      });
    const first = train(outs.first, 'false');
    const refit = train(outs.refit, 'true');
    const split = splitByReport(loadTechniqueCorpus(data, hashDataFiles(data).sha256), {
      seed: 42,
      validation: 0.2,
      test: 0.2,
    });
    assert.ok(split.validation.length > 0);
    assert.equal(first.manifest.training.counts['refit.units'], undefined);
    assert.equal(refit.manifest.training.counts['refit.units'], split.train.length + split.validation.length);
    // Same first fit: same thresholds and validation figures; the shipped weights differ.
    assert.deepEqual(refit.manifest.decision.thresholds, first.manifest.decision.thresholds);
    assert.deepEqual(refit.model['validation-spans'], first.model['validation-spans']);
    const a = loadTechniqueModel(outs.first);
    const b = loadTechniqueModel(outs.refit);
    assert.notEqual(a.manifest.weights.sha256, b.manifest.weights.sha256);
    assert.match(
      readFileSync(join(outs.refit, 'EVALUATION.md'), 'utf8'),
      /fitted again with the same settings/,
    );
    assert.doesNotMatch(readFileSync(join(outs.first, 'EVALUATION.md'), 'utf8'), /fitted again/);
  } finally {
    for (const dir of [data, outs.first, outs.refit]) rmSync(dir, { recursive: true, force: true });
  }
});

test('bad settings and a missing data folder fail before anything is written', () => {
  const out = join(tmpdir(), `cs-attack-never-${process.pid}`);
  const run =
    (settings: Record<string, string>, dataDir = '/nonexistent') =>
    () =>
      runTechniqueTraining({ dataDir, out, seed: 1, settings, now: new Date(0), log: () => {} });
  assert.throws(run({ nope: '1' }), (e) => isAppError(e, 'CS_ERR_VALIDATION'));
  assert.throws(run({ epochs: '0' }), (e) => isAppError(e, 'CS_ERR_VALIDATION'));
  assert.throws(run({ thresholds: 'maybe' }), (e) => isAppError(e, 'CS_ERR_VALIDATION'));
  assert.throws(run({ refit: 'yes' }), (e) => isAppError(e, 'CS_ERR_VALIDATION'));
  assert.throws(run({}), (e) => isAppError(e, 'CS_ERR_INPUT_UNREADABLE'));
  assert.ok(!existsSync(out));
});
