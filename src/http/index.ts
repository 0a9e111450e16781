export { type AppDeps, buildApp } from './app.js';
export type { Problem } from './problem.js';
