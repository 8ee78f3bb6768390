import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/long-first-sequencer.ts';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
      'e2e/**/*.test.ts',
      'templates/**/*.test.ts',
      'corpus/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'templates/**/files/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // Most of a file's time is spent waiting on PostgreSQL, git, Chromium and child processes, so
    // three forks keep two cores busy; forks are reused across files (isolate: false) because
    // importing the server graph afresh per file cost more than the tests themselves.
    maxWorkers: 3,
    isolate: false,
    reporters: ['default'],
    // One PostgreSQL serves every file; each file gets its own database cloned from a migrated template.
    fileParallelism: true,
    sequence: { sequencer: LongFirstSequencer },
  },
});
