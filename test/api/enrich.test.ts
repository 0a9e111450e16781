import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSqliteGraph } from '../../src/graph/index.js';
import type { EnrichQuery, PredictionForGraph } from '../../src/http/index.js';
import { createGraphEnricher } from '../../src/main/graph-enricher.js';
import { isProblem, testApp } from './helpers/app.js';
import { BACKENDS } from './helpers/stores.js';

const EMPTY = {
  techniques: [],
  relatedThreats: [],
  actors: [],
  mitigations: [],
  vulnerabilities: [],
  suggestedTechniques: [],
  mentions: [],
};

function recordingEnricher() {
  const queries: EnrichQuery[] = [];
  return {
    queries,
    enrich: async (q: EnrichQuery) => {
      queries.push(q);
      return {
        ...EMPTY,
        vulnerabilities: (q.cves ?? []).map((cve) => ({ cve, inKev: false, techniques: [] })),
      };
    },
  };
}

for (const backend of BACKENDS) {
  describe(`POST /api/v1/enrich and threat recording (${backend.name})`, () => {
    test('text, indicators or a stored prediction; errors are problems', async () => {
      const { store, dispose } = await backend.open();
      const enricher = recordingEnricher();
      const t = await testApp(store, { enricher });
      try {
        const post = (payload: object, headers = t.keys.predict) =>
          t.app.inject({ method: 'POST', url: '/api/v1/enrich', headers, payload });
        // The body goes to the enricher as the schema validated it (src/main resolves it, for the CLI too).
        const byText = await post({ text: 'APT28 used\r\nT1059', maxActors: 3 });
        assert.equal(byText.statusCode, 200);
        assert.deepEqual(enricher.queries[0], { text: 'APT28 used\r\nT1059', maxActors: 3 });

        const byList = await post({ cves: ['CVE-2024-3400'], techniques: [{ id: 'T1190' }] });
        assert.equal(byList.statusCode, 200);
        assert.deepEqual(byList.json().vulnerabilities, [
          { cve: 'CVE-2024-3400', inKev: false, techniques: [] },
        ]);
        assert.deepEqual(enricher.queries[1]?.techniques, [{ id: 'T1190' }]);

        const badIndicator = await post({ indicators: [{ type: 'ipv4', value: '1.2.3.4', extra: 1 }] });
        assert.equal(badIndicator.statusCode, 400);
        assert.ok(isProblem(badIndicator));
        assert.equal((await post({ text: 'x' }, t.keys.feedback)).statusCode, 403);
        assert.equal(enricher.queries.length, 2);
      } finally {
        await t.close();
        await dispose();
      }
    });

    test('the wired enricher resolves a stored prediction; meaningless requests are problems', async () => {
      const { store, dispose } = await backend.open();
      const graph = openSqliteGraph({ path: ':memory:' });
      const enricher = createGraphEnricher({
        graph,
        warninglists: undefined,
        predictions: store.predictions,
      });
      const t = await testApp(store, { enricher });
      try {
        const post = (payload: object) =>
          t.app.inject({ method: 'POST', url: '/api/v1/enrich', headers: t.keys.predict, payload });
        const p = (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/predict',
            headers: t.keys.predict,
            payload: { text: 'overflow in CVE-2024-1111' },
          })
        ).json();
        const byPrediction = await post({ predictionId: p.id });
        assert.equal(byPrediction.statusCode, 200);
        assert.deepEqual(
          byPrediction.json().vulnerabilities.map((v: { cve: string }) => v.cve),
          ['CVE-2024-1111'],
        );
        const byList = await post({ techniques: [{ id: 'T1190' }] });
        assert.deepEqual(
          byList.json().techniques.map((x: { id: string; score: number }) => [x.id, x.score]),
          [['T1190', 1]],
        );

        const missing = await post({ predictionId: 'nope' });
        assert.equal(missing.statusCode, 404);
        assert.ok(isProblem(missing));
        assert.equal(missing.json().fields[0].field, 'predictionId');
        const notAnIp = await post({ indicators: [{ type: 'ipv4', value: 'not-an-ip' }] });
        assert.equal(notAnIp.statusCode, 400);
        assert.ok(isProblem(notAnIp));
        assert.equal(notAnIp.json().code, 'CS_ERR_VALIDATION');
        assert.deepEqual(
          notAnIp.json().fields.map((f: { field: string }) => f.field),
          ['indicators.0.value'],
        );
        for (const body of [{}, { predictionId: p.id, text: 'x' }]) {
          const res = await post(body);
          assert.equal(res.statusCode, 400, JSON.stringify(body));
          assert.ok(isProblem(res));
        }
      } finally {
        await t.close();
        await graph.close();
        await dispose();
      }
    });

    test('every stored prediction is handed to the threat recorder; its failure never fails a prediction', async () => {
      const { store, dispose } = await backend.open();
      const recorded: PredictionForGraph[] = [];
      const threats = {
        record: async (p: PredictionForGraph) => {
          if (p.text.includes('graph down')) throw new Error('graph down');
          recorded.push(p);
        },
      };
      const t = await testApp(store, { threats });
      try {
        const one = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: t.keys.predict,
          payload: { text: 'overflow in CVE-2024-2222' },
        });
        const batch = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict/batch',
          headers: t.keys.predict,
          payload: { items: [{ text: 'a graph down moment' }, { text: '' }, { text: 'denial of service' }] },
        });
        assert.equal(one.statusCode, 200);
        assert.equal(batch.statusCode, 200);
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(
          recorded.map((r) => [r.id, r.severity]),
          [
            [one.json().id, 'high'],
            [batch.json().results[2].prediction.id, 'medium'],
          ],
        );
        assert.deepEqual(recorded[0]?.entities.cves, ['CVE-2024-2222']);
        assert.equal(recorded[0]?.createdAt, t.clock.now());
        const prom = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.keys.admin })).body;
        assert.match(prom, /cyberstreams_threats_recorded_total\{outcome="recorded"\} 2/);
        assert.match(prom, /cyberstreams_threats_recorded_total\{outcome="failed"\} 1/);
      } finally {
        await t.close();
        await dispose();
      }
    });
  });
}

test('without an enricher the route is not served', async () => {
  const { store, dispose } = await BACKENDS[0]!.open();
  const t = await testApp(store);
  try {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enrich',
      headers: t.keys.predict,
      payload: { text: 'x' },
    });
    assert.equal(res.statusCode, 404);
  } finally {
    await t.close();
    await dispose();
  }
});
