export type { CliContext, ServerHandle } from './context.js';
export { buildProgram, EXIT, runCli } from './program.js';
