/**
 * Starts the real, fully wired service (src/main/server.ts) from the
 * environment, as `npm start` does, and prints its address on stdout.
 */
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/main/server.js';

const server = await startServer(loadConfig(process.env));
process.stdout.write(`${server.address}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
