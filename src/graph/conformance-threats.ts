import assert from 'node:assert/strict';
import type { CaseRegistrar } from './conformance-traversal.js';
import { enrich } from './enrich.js';
import { recordThreat } from './threats.js';

/**
 * Threat recording cases of the conformance suite: whatever characters a
 * prediction's text carries, it becomes a Threat that enrichment finds, on
 * every backend (PostgreSQL text and JSONB refuse NUL; SQLite does not).
 */
export function threatCases(withGraph: CaseRegistrar): void {
  withGraph('a text with NUL characters is recorded as a threat and found again', async (graph) => {
    const text = 'Beacon\u0000 to nulcheck-evil[.]com\u0007 observed\u001b[0m \u0085done\u0000';
    const recorded = await recordThreat(graph, {
      predictionId: 'nul-1',
      title: text,
      indicators: [
        { type: 'domain', value: 'nulcheck-evil.com' },
        { type: 'url', value: 'http://nulcheck-evil.com/a\u0000b' },
        { type: 'email', value: 'ops@nul\u0000check.example' },
        { type: 'pattern', value: "[file:name = 'a\u0000b']" },
      ],
      // A backslash before the NUL once hid it from the props filter.
      observedAt: '2026-01-01T00:00:00Z\\\u0000',
    });
    assert.equal(recorded.indicators, 1);
    assert.equal(recorded.invalidIndicators.length, 3);
    const node = await graph.getNode('threat:nul-1');
    assert.equal(node?.name, 'Beacon to nulcheck-evil[.]com\u0007 observed\u001b[0m \u0085done');
    assert.equal(node?.props.observedAt, '2026-01-01T00:00:00Z\\');
    const found = await enrich(graph, {
      text,
      indicators: [
        { type: 'domain', value: 'nulcheck-evil.com' },
        { type: 'url', value: 'http://nulcheck-evil.com/a\u0000b' },
      ],
    });
    assert.deepEqual(
      found.relatedThreats.map((t) => [t.id, t.name]),
      [['threat:nul-1', node?.name]],
    );

    // A text of nothing but NUL and blanks is still recorded, named by its prediction id.
    await recordThreat(graph, { predictionId: 'nul-2', title: '\u0000 \u0000' });
    assert.equal((await graph.getNode('threat:nul-2'))?.name, 'nul-2');

    // Props keep every other character, keys included, once the NULs are gone.
    await graph.apply({
      nodes: [
        {
          id: 'malware:nul',
          type: 'Malware',
          name: 'NulTest',
          props: { 'k\u0000ey': ['a\u0000', { deep: '\\\u0000\\u0000' }] },
          source: 'test',
        },
      ],
      edges: [],
    });
    assert.deepEqual((await graph.getNode('malware:nul'))?.props, { key: ['a', { deep: '\\\\u0000' }] });
  });
}
