/** Orchard's layers, enforced in `npm run lint` (docs/ARCHITECTURE.md, "Layers"). */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-module',
      severity: 'error',
      comment:
        'platform/ is cross-cutting and knows no domain: it imports nothing from modules/, app.ts or cli/.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules/|app\\.ts$|cli/)' },
    },
    {
      name: 'module-through-index',
      severity: 'error',
      comment: 'A module reaches another module only through its index.ts.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'modules-not-app-or-cli',
      severity: 'error',
      comment: 'Modules never import the composition root or the CLI.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(app\\.ts$|cli/|main\\.ts$)' },
    },
    {
      name: 'blueprint-is-pure',
      severity: 'error',
      comment:
        'The Blueprint model is pure: zod and the pure platform helpers only (no database, no I/O, no other module).',
      from: { path: '^src/modules/blueprint/' },
      to: {
        pathNot: [
          '^src/modules/blueprint/',
          '^src/platform/(errors|lookup-table|slugify)\\.ts$',
          '(^|/)node_modules/(zod|vitest)/',
        ],
      },
    },
    {
      name: 'engine-knows-no-module',
      severity: 'error',
      comment:
        'The operations engine (engine/, events/) knows no product module: workflows register with it, access and audit live in the use cases above it.',
      from: { path: '^src/modules/operations/(engine|events)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/', pathNot: '^src/modules/operations/' },
    },
    {
      name: 'agents-below-studio',
      severity: 'error',
      comment:
        'Agents write code from Blueprints; the Studio drives them. Agent code never reaches up into the Studio (tests may use it to make Blueprints).',
      from: { path: '^src/modules/agents/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/studio/' },
    },
    {
      name: 'production-not-test-support',
      severity: 'error',
      comment:
        'Code that ships never imports a test or test support (test/support/, or *.test-support.ts beside the module it serves).',
      from: { path: '^(src|web/src)/', pathNot: '\\.test(-support)?\\.tsx?$' },
      to: { path: ['^test/', '^e2e/', '\\.test(-support)?\\.tsx?$'] },
    },
    {
      name: 'pages-not-pages',
      severity: 'error',
      comment: 'A web page never imports another page; shared pieces live in features or widgets.',
      from: { path: '^web/src/pages/([^/]+)' },
      to: { path: '^web/src/pages/', pathNot: '^web/src/pages/$1' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'Every source file is reachable from an entry point or a test.',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.m?ts$', '(^|/)\\.[^/]+\\.(c|m)?js$', '\\.config\\.ts$', '__fixtures__/'],
      },
      to: {},
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
