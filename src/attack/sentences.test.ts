import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSentences } from './sentences.js';

test('splits on sentence ends and line breaks, offsets point into the text', () => {
  const text = 'The loader runs cmd.exe /c whoami. It then sleeps!  Why? Because.\nHeading\n\n  Next line  ';
  const parts = splitSentences(text);
  assert.deepEqual(
    parts.map((p) => p.text),
    ['The loader runs cmd.exe /c whoami.', 'It then sleeps!', 'Why?', 'Because.', 'Heading', 'Next line'],
  );
  for (const p of parts) assert.equal(text.slice(p.start, p.end), p.text);
});

test('keeps abbreviations, initials, versions and file names inside a sentence', () => {
  const text =
    'Tools, e.g. Mimikatz, were used by J. Smith. Version 1.2.3 of evil.dll ran (see Fig. 4). Done.';
  assert.deepEqual(
    splitSentences(text).map((p) => p.text),
    ['Tools, e.g. Mimikatz, were used by J. Smith.', 'Version 1.2.3 of evil.dll ran (see Fig. 4).', 'Done.'],
  );
});

test('does not split before a lower-case word and drops punctuation-only lines', () => {
  assert.deepEqual(
    splitSentences('It used rundll32. exe files were dropped.\n----\n* \n').map((p) => p.text),
    ['It used rundll32. exe files were dropped.'],
  );
  assert.deepEqual(splitSentences(''), []);
});

test('cuts very long stretches at a space', () => {
  const text = `${'word '.repeat(300)}end`;
  const parts = splitSentences(text, { maxLength: 100 });
  assert.ok(parts.length > 10);
  for (const p of parts) {
    assert.ok(p.text.length <= 100);
    assert.equal(text.slice(p.start, p.end), p.text);
  }
});
