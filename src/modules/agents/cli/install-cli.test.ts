import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliAdapter } from './cli-adapter.ts';
import { registryReachable } from './cli-test-kit.test-support.ts';
import { cliInstallDir, ensureCliInstalled } from './install-cli.ts';

/** A tiny real package stands in for a CLI: the install mechanics are the same, the download is not. */
const TINY = { name: 'is-number', packageName: 'is-number', version: '7.0.0' };
const tinyCli = (over: Partial<CliAdapter> = {}) =>
  ({
    ...TINY,
    label: 'is-number',
    entry: (dir: string) => [path.join(dir, 'node_modules', 'is-number', 'index.js')],
    ...over,
  }) as CliAdapter;

const online = await registryReachable();
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-install-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Installs in a separate Node process, as a second worker would. */
function installElsewhere(dir: string): Promise<{ code: number | null; output: string }> {
  const module = path.join(import.meta.dirname, 'install-cli.ts');
  const script = `
    import path from 'node:path';
    import { ensureCliInstalled } from ${JSON.stringify(module)};
    const cli = { name: 'is-number', packageName: 'is-number', version: '7.0.0', label: 'is-number',
      entry: (d) => [path.join(d, 'node_modules', 'is-number', 'index.js')] };
    console.log(await ensureCliInstalled(${JSON.stringify(dir)}, cli));`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!online)('installing an agent CLI on first use (needs the npm registry)', () => {
  it('two workers installing at once both end with one whole install, and no leftovers', async () => {
    const results = await Promise.all([installElsewhere(home), installElsewhere(home)]);
    const dir = cliInstallDir(home, tinyCli());
    for (const r of results) expect(r, r.output).toMatchObject({ code: 0, output: `${dir}\n` });
    expect(existsSync(tinyCli().entry(dir)[0]!)).toBe(true);
    expect(await readdir(path.dirname(dir))).toEqual(['is-number@7.0.0']);
    // Installed: the next call finds it without npm, and reports nothing.
    const lines: string[] = [];
    expect(await ensureCliInstalled(home, tinyCli(), { onLine: (l) => lines.push(l) })).toBe(dir);
    expect(lines).toEqual([]);
  }, 120_000);

  it('reports npm output while installing, and installs into Orchard’s home only', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-install-'));
    try {
      const lines: string[] = [];
      const dir = await ensureCliInstalled(other, tinyCli(), { onLine: (l) => lines.push(l) });
      expect(dir).toBe(path.join(other, 'agents', 'cli', 'is-number@7.0.0'));
      expect(lines.join('\n')).toContain('added 1 package');
      expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))).toEqual({
        dependencies: { 'is-number': '^7.0.0' },
      });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 120_000);

  it('fails clearly, leaving nothing behind, when the program is not where the CLI should have it', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-install-'));
    try {
      const broken = tinyCli({ entry: (dir) => [path.join(dir, 'node_modules', 'is-number', 'missing.js')] });
      await expect(ensureCliInstalled(other, broken)).rejects.toThrow(
        /is-number 7\.0\.0 was installed but its program is missing \(node_modules\/is-number\/missing\.js\)/,
      );
      expect(await readdir(path.join(other, 'agents', 'cli'))).toEqual([]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 120_000);

  it('fails with npm’s own words for a version that does not exist', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'orchard-cli-install-'));
    try {
      await expect(ensureCliInstalled(other, tinyCli({ version: '0.0.0-no-such-version' }))).rejects.toThrow(
        /Installing is-number 0\.0\.0-no-such-version \(npm install is-number@0\.0\.0-no-such-version\) failed \(exit 1\):[\s\S]*ETARGET/,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 120_000);
});
