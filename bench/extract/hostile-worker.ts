/**
 * Runs one extractor on one hostile input inside a worker thread, so the
 * parent can stop it if it backtracks for too long. Posts `{ready}` when
 * loaded and warmed up, then `{ms}`: the time of the run in milliseconds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractIOC } from 'ioc-extractor';
import { extractIndicators } from '../../src/extract/index.js';
import { hostileInputs } from '../../test/fixtures/extract/hostile-inputs.js';

const { extractor, input } = workerData as { extractor: 'ours' | 'ioc-extractor'; input: string };
const text = hostileInputs()[input];
if (text === undefined) throw new Error(`unknown hostile input ${input}`);
const run =
  extractor === 'ours' ? (s: string) => extractIndicators(s) : (s: string) => extractIOC(s, { refang: true });
run('warm up 1.2.3.4 hxxp://evil[.]com d41d8cd98f00b204e9800998ecf8427e'); // compile the regexes first
parentPort!.postMessage({ ready: true });
const t0 = performance.now();
run(text);
parentPort!.postMessage({ ms: performance.now() - t0 });
