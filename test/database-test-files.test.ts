import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const listed = execFileSync(process.execPath, ['scripts/database-test-files.mjs'], {
  cwd: root,
  encoding: 'utf8',
})
  .trim()
  .split('\n');

it('lists every file that opens the run’s database, directly or through a helper, for the second CI run', () => {
  // Directly, through test/app.ts, and through a module's own test helper (test/support/deploy-fixture.ts).
  expect(listed).toEqual(
    expect.arrayContaining([
      'src/platform/db/migrate.test.ts',
      'src/modules/projects/projects.test.ts',
      'src/modules/deploy/serve/supervisor.test.ts',
      'e2e/main-loop.test.ts',
      'test/fuzz-routes.test.ts',
    ]),
  );
  // Pure files, and files that start Orchard or PostgreSQL of their own, are not repeated.
  for (const file of [
    'src/modules/agents/scaffold/templates.test.ts',
    'test/orchard-up.test.ts',
    'test/frozen-database.test.ts',
    'test/sandbox-required.test.ts',
    'test/database-test-files.test.ts',
  ]) {
    expect(listed).not.toContain(file);
  }
});
