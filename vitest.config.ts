import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'test/**/*.test.ts',
      'e2e/**/*.test.ts',
      'templates/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'templates/**/files/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    reporters: ['default'],
    // One PostgreSQL serves every file; each file gets its own database cloned from a migrated template.
    fileParallelism: true,
  },
});
