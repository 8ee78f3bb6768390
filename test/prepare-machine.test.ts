import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'prepare-machine.mjs');

let bin: string;
let aptLog: string;

/**
 * A directory for PATH holding only the tools a case should find, and a stand-in `apt-get` that
 * records its arguments (installing nothing): the package manager is the edge of the world here.
 */
async function pathWith(tools: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(bin, 'path-'));
  for (const tool of tools) await symlink(`/usr/bin/${tool}`, path.join(dir, tool));
  const apt = path.join(dir, 'apt-get');
  await writeFile(apt, `#!/bin/sh\necho "$*" >> ${aptLog}\n`);
  await chmod(apt, 0o755);
  await chmod(dir, 0o755);
  return dir;
}

function run(args: string[], env: Record<string, string>, options: { uid?: number } = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const aptCalls = async () => (await readFile(aptLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);

beforeAll(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'orchard-prepare-'));
  await chmod(bin, 0o755);
  aptLog = path.join(bin, 'apt.log');
});
afterAll(async () => rm(bin, { recursive: true, force: true }));

describe('scripts/prepare-machine.mjs (npm start and npm test)', () => {
  it('says nothing and installs nothing when the machine has everything', async () => {
    await rm(aptLog, { force: true });
    const PATH = await pathWith(['bwrap', 'slirp4netns']);
    const result = await run([], { PATH });
    expect(result).toEqual({ code: 0, output: '' });
    expect(await aptCalls()).toEqual([]);
  });

  // The install path is taken only as root; becoming another user needs root too.
  const asRoot = it.skipIf(process.getuid?.() !== 0);

  asRoot(
    'as root, installs what is missing with apt-get (updating first), then says what is still missing',
    async () => {
      await rm(aptLog, { force: true });
      const PATH = await pathWith([]);
      const result = await run([], { PATH });
      expect(await aptCalls()).toEqual([
        'update -qq',
        'install -y -qq --no-install-recommends bubblewrap slirp4netns',
      ]);
      // The stand-in installed nothing: start goes on and says exactly what to do.
      expect(result.code).toBe(0);
      expect(result.output).toContain('Install with: apt-get install bubblewrap slirp4netns');
      expect(result.output).toContain('bubblewrap: jobs and apps cannot be sandboxed');
      expect(result.output).not.toContain('chromium:');
      // npm test cannot run without bubblewrap.
      const required = await run(['--required'], { PATH });
      expect(required.code).toBe(1);
      expect(required.output).toContain('the tests need bubblewrap');
    },
  );

  asRoot('as another user, installs nothing and prints the command to run (with sudo)', async () => {
    await rm(aptLog, { force: true });
    const PATH = await pathWith(['bwrap']);
    const result = await run([], { PATH }, { uid: 65534 });
    expect(await aptCalls()).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.output).toContain('Install with: sudo apt-get install slirp4netns');
    expect(result.output).toContain('slirp4netns: sandboxed jobs get no outbound network');
  });

  it('reports a Chromium path set by hand that does not exist, without installing the package', async () => {
    await rm(aptLog, { force: true });
    const PATH = await pathWith(['bwrap', 'slirp4netns']);
    const result = await run(['--required'], { PATH, ORCHARD_CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(await aptCalls()).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('chromium: verifying previews in a browser fails without it');
    expect(result.output).toContain('ORCHARD_CHROMIUM_PATH is /nonexistent/chromium, which does not exist');
  });
});
