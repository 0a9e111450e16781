import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteGraph, recordThreat } from '../graph/index.js';
import { createGraphEnricher, structuredIndicatorValue } from './graph-enricher.js';

test('structured indicator values are refanged and normalised as extraction does, or refused', () => {
  assert.equal(structuredIndicatorValue('domain', 'QA-Evil[.]example'), 'qa-evil.example');
  assert.equal(structuredIndicatorValue('url', 'hxxps://evil[.]com/Path'), 'https://evil.com/Path');
  assert.equal(structuredIndicatorValue('email', 'Ops[at]evil[.]com'), 'ops@evil.com');
  assert.equal(structuredIndicatorValue('ipv4', '10[.]0[.]0[.]1'), '10.0.0.1');
  assert.equal(
    structuredIndicatorValue('domain', 'evil.corp'),
    'evil.corp',
    'what the graph stores stays findable',
  );
  for (const [type, value] of [
    ['ipv4', 'not-an-ip'],
    ['domain', 'http://x.example/'],
    ['md5', 'abc'],
    ['url', 'http://a.example/\u0000'],
  ] as const)
    assert.equal(structuredIndicatorValue(type, value), undefined, `${type} ${value}`);
});

test('a defanged indicator finds its threat; an invalid one is a validation error naming the field', async () => {
  const graph = openSqliteGraph({ path: ':memory:' });
  try {
    await recordThreat(graph, {
      predictionId: 'qa',
      title: 'qa',
      indicators: [{ type: 'domain', value: 'qa-evil.example' }],
    });
    const enricher = createGraphEnricher({ graph, warninglists: undefined });
    const found = await enricher.enrich({ indicators: [{ type: 'domain', value: 'QA-evil[.]example' }] });
    assert.deepEqual(
      found.relatedThreats.map((t) => [t.id, t.shared.indicators]),
      [['threat:qa', [{ type: 'domain', value: 'qa-evil.example' }]]],
    );
    await assert.rejects(
      enricher.enrich({
        indicators: [
          { type: 'domain', value: 'qa-evil.example' },
          { type: 'ipv4', value: 'not-an-ip' },
        ],
      }),
      (err: { code: string; details: { fields: { field: string }[] } }) => {
        assert.equal(err.code, 'CS_ERR_VALIDATION');
        assert.deepEqual(
          err.details.fields.map((f) => f.field),
          ['indicators.1.value'],
        );
        return true;
      },
    );
  } finally {
    await graph.close();
  }
});
