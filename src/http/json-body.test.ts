import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { errorHandler } from './error-handler.js';
import { findForbiddenKey, installJsonBodyParser, RejectedItem } from './json-body.js';

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

test('an item with a prototype-polluting key is replaced before any handler sees it; others keep Object.prototype', async () => {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  installJsonBodyParser(app);
  app.post('/items', { config: { bodyItemsCheckedAlone: 'items' } }, async (request) =>
    (request.body as { items: unknown[] }).items.map((item) =>
      item instanceof RejectedItem
        ? (item.error.details as { fields: { field: string }[] }).fields[0]!.field
        : Object.getPrototypeOf(item) === Object.prototype && !Object.hasOwn(item as object, '__proto__'),
    ),
  );
  app.post('/whole', async () => 'not reached');
  try {
    const payload = '{"items":[{"a":1},{"b":{"__proto__":{"admin":true}}},{"\\u005f_proto__":1}]}';
    const headers = { 'content-type': 'application/json' };
    const res = await app.inject({ method: 'POST', url: '/items', headers, payload });
    assert.deepEqual(res.json(), [true, 'items.1.b.__proto__', 'items.2.__proto__']);
    const whole = await app.inject({ method: 'POST', url: '/whole', headers, payload });
    assert.equal(whole.statusCode, 400);
    assert.equal(whole.json().fields[0].field, 'items.1.b.__proto__');
  } finally {
    await app.close();
  }
});
