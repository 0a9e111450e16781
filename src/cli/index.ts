export type { CliContext, CliEnricher, ServerHandle } from './context.js';
export { buildProgram, EXIT, runCli } from './program.js';
export { listenProblem } from './serve.js';
