#!/usr/bin/env node
// `npm test`: makes sure the machine has what the suite needs (Chromium and bubblewrap from the
// distribution's packages, installed when running as root), builds the web UI, then runs the
// type checker, the linter and every test. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const step = (title) => process.stdout.write(`\n▶ ${title}\n`);

function run(cmd, cmdArgs, options = {}) {
  const res = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...options });
  if (res.status !== 0) {
    process.stderr.write(`✖ ${cmd} ${cmdArgs.join(' ')} failed (exit ${res.status ?? res.signal})\n`);
    process.exit(res.status ?? 1);
  }
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const chromium = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].some((p) => existsSync(p));
const missing = [
  !chromium && 'chromium',
  !has('bwrap') && 'bubblewrap',
  !has('slirp4netns') && 'slirp4netns',
].filter(Boolean);
if (missing.length) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    step(`installing ${missing.join(', ')} (apt)`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    process.stderr.write(
      `✖ missing ${missing.join(', ')}: install them (e.g. apt-get install chromium bubblewrap slirp4netns) and rerun.\n`,
    );
    process.exit(1);
  }
}

if (!args.length) {
  step('type check');
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  step('lint');
  run('npx', ['biome', 'check', '.']);
}
step('build web UI');
run('npm', ['run', '--silent', 'build:web']);
step(`tests (${process.env.DATABASE_URL ? 'external PostgreSQL from DATABASE_URL' : 'embedded PostgreSQL'})`);
run('npx', ['vitest', 'run', ...args]);
