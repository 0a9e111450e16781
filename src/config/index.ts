export { loadConfig } from './load.js';
export type { Config } from './schema.js';
export { EnvSchema } from './schema.js';
