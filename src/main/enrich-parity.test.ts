import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { testApp } from '../../test/api/helpers/app.js';
import { recordingContext } from '../../test/helpers/cli.js';
import { loadWarninglistIndex } from '../assets/index.js';
import { EXIT, runCli } from '../cli/index.js';
import { loadConfig } from '../config/index.js';
import { ensureCatalogueLoaded, minePatterns, openGraph } from '../graph/index.js';
import { openStore } from '../store/index.js';
import { openCliEnricher } from './cli-enricher.js';
import { createGraphEnricher } from './graph-enricher.js';
import { loadShippedTechniqueMapper } from './load-predictor.js';

test('graph enrich (CLI) and POST /api/v1/enrich give the same answer for the same body', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-enrich-parity-'));
  const config = loadConfig({ DATA_DIR: dir });
  const graph = await openGraph(config);
  const store = await openStore(config);
  try {
    await ensureCatalogueLoaded(graph, { afterLoad: (g) => minePatterns(g) });
    // Wired as src/main/server.ts wires the route.
    const enricher = createGraphEnricher({
      graph,
      warninglists: await loadWarninglistIndex(),
      techniques: await loadShippedTechniqueMapper(config.MODELS_DIR, pino({ level: 'silent' })),
      predictions: store.predictions,
    });
    const t = await testApp(store, { enricher });
    try {
      const stored = await t.app.inject({
        method: 'POST',
        url: '/api/v1/predict',
        headers: t.keys.predict,
        payload: { text: 'APT28 phishing, CVE-2023-23397 again' },
      });
      const bodies: object[] = [
        { text: 'APT28 sent spearphishing attachments exploiting CVE-2023-23397' },
        { techniques: [{ id: 'T1566.001' }] },
        { indicators: [{ type: 'domain', value: 'example.org' }], cves: ['cve-2023-23397'], maxActors: 2 },
        { predictionId: stored.json().id },
        {},
      ];
      for (const body of bodies) {
        const api = await t.app.inject({
          method: 'POST',
          url: '/api/v1/enrich',
          headers: t.keys.predict,
          payload: body,
        });
        const ctx = recordingContext(JSON.stringify(body));
        ctx.loadConfig = (overrides = {}) => loadConfig({ DATA_DIR: dir, ...overrides });
        ctx.openEnricher = openCliEnricher;
        const code = await runCli(['graph', 'enrich', '-'], ctx, '0');
        if (api.statusCode !== 200) {
          assert.equal(api.statusCode, 400, JSON.stringify(body));
          assert.equal(code, EXIT.failure, JSON.stringify(body));
          assert.match(ctx.err, new RegExp(api.json().detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
          continue;
        }
        assert.equal(code, EXIT.ok, ctx.err);
        assert.deepEqual(JSON.parse(ctx.out), api.json(), JSON.stringify(body));
      }
      // The QA example: the text's technique, CVE and suggestions, from both.
      const qa = await t.app.inject({
        method: 'POST',
        url: '/api/v1/enrich',
        headers: t.keys.predict,
        payload: bodies[0],
      });
      const answer = qa.json();
      assert.ok(answer.techniques.some((x: { id: string }) => x.id === 'T1566.001'));
      assert.deepEqual(
        answer.vulnerabilities.map((v: { cve: string }) => v.cve),
        ['CVE-2023-23397'],
      );
      assert.ok(answer.suggestedTechniques.length > 0);
    } finally {
      await t.close();
    }
  } finally {
    await graph.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
