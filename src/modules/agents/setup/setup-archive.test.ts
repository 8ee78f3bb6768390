import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handOverToSandbox, type SandboxUser } from '../../../platform/sandbox/index.ts';
import { archiveSetupOutputs, extractSetupArchive } from './setup-archive.ts';
import type { SetupSandbox } from './setup-sandbox.ts';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;
// A project's sandbox user, as Orchard derives them (sandbox.uidBase + n).
const user: SandboxUser | undefined = asRoot ? { uid: 1_500_000_201, gid: 1_500_000_201 } : undefined;

let root: string;
let home: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'orchard-setup-archive-'));
  await chmod(root, 0o711);
  home = path.join(root, 'home');
  await mkdir(path.join(home, 'work'), { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh workspace and out directory, the sandbox's as a session run's are. */
async function fresh(files: Record<string, string> = {}) {
  const workspace = path.join(home, 'work', `ws-${++n}`);
  const outDir = path.join(home, 'work', `ws-${n}.scratch`, 'out');
  await mkdir(workspace, { recursive: true });
  await mkdir(outDir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
  await handOverToSandbox(user, { own: [workspace, path.dirname(outDir)], root: home });
  const box: SetupSandbox = {
    workspace,
    repo: workspace,
    home,
    ...(user ? { user } : {}),
    allowUnsandboxed: false,
  };
  return { box, workspace, run: { outDir, signal: new AbortController().signal } };
}

describe('setup archives', () => {
  let victim: string;
  beforeEach(async () => {
    // Somewhere the sandbox's user could write if anything let it out of the workspace.
    victim = path.join(home, 'work', `victim-${++n}`);
    await mkdir(victim, { recursive: true });
    await handOverToSandbox(user, { own: [victim], root: home });
  });

  it('round-trips what setup made, links as links, and names that look like options as names', async () => {
    const made = await fresh({
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
      '--checkpoint-action=exec=touch pwned': 'just a file\n',
      'src/kept.js': 'not archived\n',
    });
    await symlink('../left-pad/index.js', path.join(made.workspace, 'node_modules/left-pad/self.js'));
    await symlink(victim, path.join(made.workspace, 'outside'));
    const archive = await archiveSetupOutputs(
      made.box,
      ['node_modules', '--checkpoint-action=exec=touch pwned', 'outside'],
      made.run,
    );
    expect(existsSync(path.join(made.workspace, 'pwned'))).toBe(false);

    const into = await fresh();
    await extractSetupArchive(into.box, archive, into.run);
    const ws = into.workspace;
    expect(await readFile(path.join(ws, 'node_modules/left-pad/index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
    expect(await readlink(path.join(ws, 'node_modules/left-pad/self.js'))).toBe('../left-pad/index.js');
    expect(await readFile(path.join(ws, '--checkpoint-action=exec=touch pwned'), 'utf8')).toBe(
      'just a file\n',
    );
    expect(existsSync(path.join(ws, 'src/kept.js'))).toBe(false);
    // A link out is archived as the link, never as what it points to.
    expect((await lstat(path.join(ws, 'outside'))).isSymbolicLink()).toBe(true);
  });

  it('writes nothing outside the workspace, whatever links and names the archive holds', async () => {
    const staging = await mkdtemp(path.join(root, 'evil-'));
    await mkdir(path.join(staging, 'a'));
    await symlink(victim, path.join(staging, 'a', 'escape'));
    await mkdir(path.join(staging, 'b', 'escape'), { recursive: true });
    await writeFile(path.join(staging, 'b', 'escape', 'through-link'), 'x');
    await writeFile(path.join(victim, 'absolute'), 'original');
    const evil = path.join(root, `evil-${n}.tar`);
    // A link out, then a file "inside" it; a member named by absolute path; one named with `..`.
    await run('tar', [
      '-cf',
      evil,
      '-C',
      path.join(staging, 'a'),
      'escape',
      '-C',
      path.join(staging, 'b'),
      'escape/through-link',
    ]);
    await run('tar', ['-rPf', evil, path.join(victim, 'absolute')]);
    await run('tar', [
      '-rf',
      evil,
      '-C',
      staging,
      '--transform',
      's,^b/escape/through-link$,../../dotdot,',
      'b/escape/through-link',
    ]);
    await chmod(evil, 0o644);

    const into = await fresh();
    await writeFile(path.join(victim, 'absolute'), 'original');
    await extractSetupArchive(into.box, evil, into.run).catch(() => undefined);
    expect(existsSync(path.join(victim, 'through-link'))).toBe(false);
    expect(await readFile(path.join(victim, 'absolute'), 'utf8')).toBe('original');
    expect(existsSync(path.join(home, 'dotdot'))).toBe(false);
    expect(existsSync(path.join(home, 'work', 'dotdot'))).toBe(false);
  });
});
