/**
 * Runs the `cyberstreams` CLI from source in its own process (tests start
 * `serve` and `worker` with it: `node --import tsx cli-process.ts serve`).
 */
import { main } from '../../../src/main/cli.js';

await main(process.argv.slice(2));
