#!/usr/bin/env node
// `npm test`: makes sure the machine has what the suite needs (prepare-machine.mjs: Chromium,
// bubblewrap and slirp4netns from the distribution's packages, installed when running as root),
// builds the web UI, then runs the type checker, the linter and every test. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { prepareMachine } from './prepare-machine.mjs';

const args = process.argv.slice(2);
const step = (title) => process.stdout.write(`\n▶ ${title}\n`);

function run(cmd, cmdArgs, options = {}) {
  const res = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...options });
  if (res.status !== 0) {
    process.stderr.write(`✖ ${cmd} ${cmdArgs.join(' ')} failed (exit ${res.status ?? res.signal})\n`);
    process.exit(res.status ?? 1);
  }
}

// The same machine preparation as `npm start`; the suite cannot run without Chromium and bubblewrap.
const { missingForTests } = prepareMachine();
if (missingForTests.length) {
  process.stderr.write(`✖ the tests need ${missingForTests.join(', ')}: install them and rerun.\n`);
  process.exit(1);
}

if (!args.length) {
  step('type check');
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  step('lint (biome, layer rules, generated UI types)');
  run('npm', ['run', '--silent', 'lint']);
}
step('build web UI');
run('npm', ['run', '--silent', 'build:web']);
step(`tests (${process.env.DATABASE_URL ? 'external PostgreSQL from DATABASE_URL' : 'embedded PostgreSQL'})`);
run('npx', ['vitest', 'run', ...args]);
