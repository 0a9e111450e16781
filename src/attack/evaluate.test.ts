import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAppError } from '../core/index.js';
import { evaluateTechniqueModel, readTechniqueExamples } from './evaluate.js';

function withFile(content: string, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'cs-attack-eval-'));
  try {
    const path = join(dir, 'data.jsonl');
    writeFileSync(path, content);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads JSON lines of {text, techniques}, skipping blank lines', () => {
  withFile('{"text":"a","techniques":["T1105"],"extra":1}\n\n{"text":"b","techniques":[]}\n', (path) => {
    assert.deepEqual(readTechniqueExamples(path), [
      { text: 'a', techniques: ['T1105'] },
      { text: 'b', techniques: [] },
    ]);
  });
});

test('bad lines are refused with the line number', () => {
  withFile('{"text":"a","techniques":["T1105"]}\n{"text":"b","techniques":["1105"]}\n', (path) => {
    assert.throws(
      () => readTechniqueExamples(path),
      (e) => isAppError(e, 'CS_ERR_VALIDATION') && e.message.includes(':2'),
    );
  });
  withFile('{"text":"a","techniques":["T1105"]}\nnot json\n', (path) => {
    assert.throws(
      () => readTechniqueExamples(path),
      (e) => isAppError(e, 'CS_ERR_INPUT_UNREADABLE') && e.message.includes(':2'),
    );
  });
  withFile('\n\n', (path) => {
    assert.throws(
      () => readTechniqueExamples(path),
      (e) => isAppError(e, 'CS_ERR_VALIDATION'),
    );
  });
  assert.throws(
    () => readTechniqueExamples(join(tmpdir(), 'cs-no-such-file.jsonl')),
    (e) => isAppError(e, 'CS_ERR_INPUT_UNREADABLE'),
  );
});

test('evaluates a model by mapping each text as one sentence', () => {
  const model = {
    mapSentence: (text: string) => (text.includes('download') ? [{ id: 'T1105', score: 0.9 }] : []),
  };
  const e = evaluateTechniqueModel(model, [
    { text: 'it downloads tools', techniques: ['T1105'] },
    { text: 'nothing', techniques: [] },
    { text: 'screenshots', techniques: ['T1113'] },
  ]);
  assert.equal(e.n, 3);
  assert.equal(e.precision, 1);
  assert.equal(e.recall, 0.5);
});
