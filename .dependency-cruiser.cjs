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
        pathNot: ['\\.d\\.ts$', '(^|/)\\.[^/]+\\.(c|m)?js$', '\\.config\\.ts$', '__fixtures__/'],
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
