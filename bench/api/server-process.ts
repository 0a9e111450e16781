/**
 * Starts the real, fully wired service (src/main/cluster.ts, src/main/server.ts)
 * from the environment, as `npm start` does, and prints its address on stdout
 * (once every worker listens, when API_WORKERS > 1).
 */
import { loadConfig } from '../../src/config/index.js';
import { startService } from '../../src/main/cluster.js';

const server = await startService(loadConfig(process.env));
process.stdout.write(`${server.address}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
