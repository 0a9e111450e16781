import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseText, sha256Hex } from './normalise-text.js';

test('normalises to NFC with LF line endings and nothing else', () => {
  assert.equal(normaliseText('Cafe\u0301\r\nline\rnext'), 'Caf\u00e9\nline\nnext');
  assert.equal(normaliseText('  keep  spaces  '), '  keep  spaces  ');
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
