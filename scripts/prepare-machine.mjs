#!/usr/bin/env node
// Makes sure this machine has the system packages Orchard uses: Chromium (the browser robot verifies
// previews with it), bubblewrap (the sandbox of jobs and apps) and slirp4netns (outbound network
// for sandboxed jobs without reaching the host's loopback). `npm start` and `npm test` run it.
// As root with apt-get, missing packages are installed (apt-get update only then); otherwise it says
// exactly what to install. Silent when nothing is missing. `--required` (npm test) exits 1 while
// something the test suite needs is still missing; without it, it warns and Orchard starts anyway.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where Debian's chromium package puts the browser (the same list Orchard's browser pool uses). */
const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

const onPath = (cmd, env) =>
  spawnSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore', env }).status === 0;

/** The packages, why Orchard needs each, and whether the test suite cannot run without it. */
const PACKAGES = [
  {
    name: 'chromium',
    why: 'verifying previews in a browser fails without it',
    forTests: true,
    present: (env) =>
      env.ORCHARD_CHROMIUM_PATH
        ? existsSync(env.ORCHARD_CHROMIUM_PATH)
        : CHROMIUM_PATHS.some((p) => existsSync(p)),
  },
  {
    name: 'bubblewrap',
    why: 'jobs and apps cannot be sandboxed',
    forTests: true,
    present: (env) => onPath('bwrap', env),
  },
  {
    name: 'slirp4netns',
    why: 'sandboxed jobs get no outbound network',
    forTests: false,
    present: (env) => onPath('slirp4netns', env),
  },
];

/**
 * Installs what is missing when it can, and reports what is still missing.
 * @returns {{ installed: string[], missing: string[], missingForTests: string[] }}
 */
export function prepareMachine({ env = process.env, out = process.stderr } = {}) {
  const absent = () => PACKAGES.filter((p) => !p.present(env));
  let missing = absent();
  const installed = [];
  const asRoot = process.getuid?.() === 0;
  const apt = onPath('apt-get', env);
  // A Chromium path set by hand is not fixed by installing the package.
  const installable = missing.filter((p) => !(p.name === 'chromium' && env.ORCHARD_CHROMIUM_PATH));
  if (installable.length && asRoot && apt) {
    const names = installable.map((p) => p.name);
    out.write(`▶ installing ${names.join(', ')} (apt-get)\n`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
    const installedOk =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
        stdio: 'inherit',
        env: aptEnv,
      }).status === 0;
    if (!installedOk) out.write('⚠ apt-get could not install them.\n');
    const still = absent();
    installed.push(...names.filter((n) => !still.some((p) => p.name === n)));
    missing = still;
  }
  if (missing.length) {
    const names = missing.map((p) => p.name).join(' ');
    const command = apt ? `${asRoot ? '' : 'sudo '}apt-get install ${names}` : null;
    out.write(
      [
        `⚠ This machine lacks what Orchard needs:`,
        ...missing.map((p) => `  - ${p.name}: ${p.why}`),
        command
          ? `  Install with: ${command}`
          : `  Install these with your distribution's package manager: ${names}`,
        ...(env.ORCHARD_CHROMIUM_PATH && missing.some((p) => p.name === 'chromium')
          ? [
              `  (ORCHARD_CHROMIUM_PATH is ${env.ORCHARD_CHROMIUM_PATH}, which does not exist: fix or unset it.)`,
            ]
          : []),
        '  Then run `orchard doctor` to check the machine.',
        '',
      ].join('\n'),
    );
  }
  return {
    installed,
    missing: missing.map((p) => p.name),
    missingForTests: missing.filter((p) => p.forTests).map((p) => p.name),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { missingForTests } = prepareMachine();
  if (process.argv.includes('--required') && missingForTests.length) {
    process.stderr.write(`✖ the tests need ${missingForTests.join(', ')}.\n`);
    process.exit(1);
  }
}
