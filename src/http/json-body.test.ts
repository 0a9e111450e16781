import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findForbiddenKey } from './json-body.js';

test('finds prototype-polluting keys at any depth, with their path', () => {
  assert.equal(findForbiddenKey(JSON.parse('{"a":1,"b":[{"c":2}]}')), undefined);
  assert.equal(findForbiddenKey(JSON.parse('{"__proto__":{"x":1}}')), '__proto__');
  assert.equal(
    findForbiddenKey(JSON.parse('{"items":[{"text":"a"},{"constructor":{}}]}')),
    'items.1.constructor',
  );
  assert.equal(findForbiddenKey(JSON.parse('[[{"prototype":1}]]')), '0.0.prototype');
  assert.equal(findForbiddenKey('text'), undefined);
  // Iterative: depth is no problem.
  const deep = JSON.parse(`${'['.repeat(100_000)}{"__proto__":1}${']'.repeat(100_000)}`);
  assert.match(String(findForbiddenKey(deep)), /__proto__$/);
});
