/**
 * The baseline: a bare Fastify app whose POST /echo returns the JSON body it
 * got, with no logging, auth or storage. Same Fastify version and JSON
 * parsing as the service. Prints its address on stdout once listening.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/echo', async (request) => request.body);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
