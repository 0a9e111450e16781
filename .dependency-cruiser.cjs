/**
 * Module boundaries (docs/architecture.md):
 * - no cycles;
 * - a module imports another only through its index.ts;
 * - pure layers (core, extract, features) import no I/O modules;
 * - only src/main wires concrete parts; nothing imports src/main except the bin;
 * - production code never imports tests.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'through-index-only',
      comment: 'Import another module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/.+',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'pure-layers',
      comment: 'core, extract and features do no I/O and know nothing of the service around them.',
      severity: 'error',
      from: { path: '^src/(core|extract|features)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(config|store|http|cli|main|graph|learning|ingest)/' },
    },
    {
      name: 'pure-no-io-builtins',
      severity: 'error',
      from: { path: '^src/(core|extract|features)/', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypes: ['core'],
        path: '^(fs|node:fs|fs/promises|node:fs/promises|net|node:net|http|node:http|child_process|node:child_process)$',
      },
    },
    {
      name: 'main-is-the-top',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/conformance\\.ts$'] },
      to: { path: '(\\.test\\.ts$|^test/)' },
    },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
