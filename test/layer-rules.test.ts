// The layer rules in .dependency-cruiser.cjs, each shown failing on a fixture that breaks it (and the
// real code passing them all). `npm run lint` runs the same rules over src/ and web/src/.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IViolation } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs'));

/** Fixture files: path → imports (relative specifiers), each written as `import './x.ts'`. */
type Tree = Record<string, string[]>;

async function violationsOf(baseDir: string, dirs: string[]): Promise<IViolation[]> {
  const result = await cruise(dirs, {
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  });
  if (typeof result.output === 'string') throw new Error('expected a JSON cruise result');
  return result.output.summary.violations;
}

async function writeTree(dir: string, tree: Tree) {
  for (const [file, imports] of Object.entries(tree)) {
    const full = path.join(dir, file);
    await mkdir(path.dirname(full), { recursive: true });
    const lines = imports.map((spec, i) =>
      spec.startsWith('type:')
        ? `import type { T${i} } from '${spec.slice(5)}';`
        : `import { v${i} } from '${spec}';`,
    );
    await writeFile(full, `${lines.join('\n')}\nexport const v0 = 0;\nexport type T0 = number;\n`);
  }
}

// Every fixture also has a root that imports everything, so only the rule under test fires.
function entry(tree: Tree): Tree {
  const sources = Object.keys(tree).filter((f) => f.startsWith('src/'));
  if (!sources.length) return tree;
  return { ...tree, 'src/main.ts': sources.map((f) => `./${path.relative('src', f)}`) };
}

const CASES: { rule: string; tree: Tree; from: string; to: string }[] = [
  {
    rule: 'no-circular',
    // A type-only import closes the circle: type-only cycles count too.
    tree: {
      'src/modules/a/index.ts': ['./one.ts'],
      'src/modules/a/one.ts': ['./two.ts'],
      'src/modules/a/two.ts': ['type:./one.ts'],
    },
    from: 'src/modules/a/one.ts',
    to: 'src/modules/a/two.ts',
  },
  {
    rule: 'platform-imports-no-module',
    tree: {
      'src/platform/log.ts': ['../modules/a/index.ts'],
      'src/modules/a/index.ts': [],
    },
    from: 'src/platform/log.ts',
    to: 'src/modules/a/index.ts',
  },
  {
    rule: 'module-through-index',
    tree: {
      'src/modules/a/index.ts': ['../b/store.ts'],
      'src/modules/b/index.ts': ['./store.ts'],
      'src/modules/b/store.ts': [],
    },
    from: 'src/modules/a/index.ts',
    to: 'src/modules/b/store.ts',
  },
  {
    rule: 'modules-not-app-or-cli',
    tree: {
      'src/modules/a/index.ts': ['../../cli/up.ts'],
      'src/cli/up.ts': [],
    },
    from: 'src/modules/a/index.ts',
    to: 'src/cli/up.ts',
  },
  {
    rule: 'blueprint-is-pure',
    tree: {
      'src/modules/blueprint/index.ts': ['../../platform/db/pool.ts'],
      'src/platform/db/pool.ts': [],
    },
    from: 'src/modules/blueprint/index.ts',
    to: 'src/platform/db/pool.ts',
  },
  {
    rule: 'engine-knows-no-module',
    tree: {
      'src/modules/operations/index.ts': ['./engine/claim-steps.ts'],
      'src/modules/operations/engine/claim-steps.ts': ['../../projects/index.ts'],
      'src/modules/projects/index.ts': [],
    },
    from: 'src/modules/operations/engine/claim-steps.ts',
    to: 'src/modules/projects/index.ts',
  },
  {
    rule: 'agents-below-studio',
    tree: {
      'src/modules/agents/index.ts': ['../studio/index.ts'],
      'src/modules/studio/index.ts': [],
    },
    from: 'src/modules/agents/index.ts',
    to: 'src/modules/studio/index.ts',
  },
  {
    rule: 'production-not-test-support',
    tree: {
      'src/modules/a/index.ts': ['../../../test/support/until.ts'],
      'test/support/until.ts': [],
    },
    from: 'src/modules/a/index.ts',
    to: 'test/support/until.ts',
  },
  {
    rule: 'pages-not-pages',
    tree: {
      'web/src/app/routes.tsx': ['../pages/one.tsx', '../pages/two.tsx'],
      'web/src/pages/one.tsx': ['./two.tsx'],
      'web/src/pages/two.tsx': [],
    },
    from: 'web/src/pages/one.tsx',
    to: 'web/src/pages/two.tsx',
  },
  {
    rule: 'no-orphans',
    tree: { 'src/modules/a/index.ts': [], 'src/modules/a/forgotten.ts': [] },
    from: 'src/modules/a/forgotten.ts',
    to: 'src/modules/a/forgotten.ts',
  },
];

describe('layer rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-layers-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has a fixture for every rule in the config', () => {
    const names = config.forbidden.map((r: { name: string }) => r.name).sort();
    expect(CASES.map((c) => c.rule).sort()).toEqual(names);
  });

  it.each(CASES)('$rule fails on a fixture that breaks it', async ({ rule, tree, from, to }) => {
    const base = path.join(dir, rule);
    const full = rule === 'no-orphans' ? tree : entry(tree);
    await writeTree(base, full);
    const roots = ['src', 'web', 'test'].filter((d) => Object.keys(full).some((f) => f.startsWith(`${d}/`)));
    const found = (await violationsOf(base, roots)).map((v) => ({
      rule: v.rule.name,
      from: v.from,
      to: v.to,
    }));
    expect(found).toContainEqual({ rule, from, to });
    // Nothing else in the fixture breaks a rule: each case isolates its own.
    expect(found.filter((v) => v.rule !== rule)).toEqual([]);
  });

  it('the code itself breaks none of them', async () => {
    const found = await violationsOf(ROOT, ['src', 'web/src']);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 120_000);
});
