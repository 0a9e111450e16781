import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE_INPUT_LENGTH, hostileInputs } from '../../test/fixtures/extract/hostile-inputs.js';
import { extractIndicators } from './extract.js';

/*
 * Guard against catastrophic backtracking: 1 MB of each pattern that hurts
 * naive IOC regexes must complete. The bound (5 s) is deliberately generous
 * so the test never flakes on a loaded machine; a quadratic scanner takes
 * many minutes on these inputs. The real times are measured by bench/extract.
 */
describe('extractIndicators on hostile input', () => {
  for (const [name, text] of Object.entries(hostileInputs())) {
    it(`completes on 1 MB of ${JSON.stringify(name)}`, () => {
      assert.equal(text.length, HOSTILE_INPUT_LENGTH);
      const t0 = performance.now();
      const e = extractIndicators(text);
      const ms = performance.now() - t0;
      assert.ok(ms < 5000, `${name}: ${ms.toFixed(0)} ms`);
      assert.ok(Array.isArray(e.matches));
    });
  }
});
