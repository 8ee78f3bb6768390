import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitCli,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../test/git.ts';
import { until } from '../../../test/support/until.ts';
import { ensureHooks } from './git-hooks.ts';
import { runGit } from './git-process.ts';
import { ensureRepository } from './repository.ts';

/**
 * Git that never finishes — a hook that sleeps, a ref file that blocks on read — must be killed
 * with every process it started, and reported: a step error for local commands, a 504 for the API
 * and for smart HTTP. A transfer whose bytes keep moving is never cut, however long it takes.
 */

let t: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
const slug = 'hangs';
let bare: string;
let work: string;
/** Processes a test started that must not outlive it (hooks that sleep). */
const pidFiles: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ 'git.timeoutMs': 1_000, 'git.transferIdleMs': 2_000 });
  base = await listenApp(t);
  owner = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  bare = await ensureRepository(t.config.home, slug);
  work = await localRepo();
  await commitFiles(work, { 'README.md': 'hangs\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
}, 60_000);

afterAll(async () => {
  for (const file of pidFiles) {
    const pid = Number(await readFile(file, 'utf8').catch(() => '0'));
    if (pid && running(pid)) process.kill(pid, 'SIGKILL');
  }
  await t?.close();
});

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A hook script that records its pid, then sleeps far longer than any timeout here. */
async function sleepingHook(file: string): Promise<string> {
  const pidFile = `${file}.pid`;
  pidFiles.push(pidFile);
  await writeFile(file, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 600\n`);
  await chmod(file, 0o755);
  return pidFile;
}

/** Resolves with the value, or rejects once `ms` passed without an answer. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Replaces the repository's packed-refs with a named pipe: git blocks opening it for reading, as
 * it would on a stalled network filesystem. Undone by `thaw` (which also unblocks any reader).
 */
async function blockRefs(repo: string) {
  await gitOk(['pack-refs', '--all'], repo);
  const file = path.join(repo, 'packed-refs');
  await rename(file, `${file}.real`);
  execFileSync('mkfifo', [file]);
  return async function thaw() {
    try {
      // A writer opening and closing the pipe gives every blocked reader end-of-file.
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting.
    }
    await rm(file, { force: true });
    await rename(`${file}.real`, file);
  };
}

describe('a local git command that hangs', () => {
  it('is killed with the processes it started once it outlives its timeout, and says so', async () => {
    const dir = await localRepo();
    await commitFiles(dir, { 'a.txt': 'a\n' }, 'a');
    const hook = path.join(await mkdtemp(path.join(os.tmpdir(), 'orchard-fsmonitor-')), 'fsmonitor');
    const pidFile = await sleepingHook(hook);
    // git status asks the file-system monitor hook which files changed, and waits for its answer.
    await gitOk(['config', 'core.fsmonitor', hook], dir);
    const error = await within(
      10_000,
      'git status',
      runGit(['status'], { cwd: dir, timeoutMs: 500 }).catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: 'git_timeout', status: 504 });
    expect((error as Error).message).toBe(
      'git status did not finish within 0.5 s and was stopped; try again, or raise git.timeoutMs if the repository is that large.',
    );
    const hookPid = Number(await readFile(pidFile, 'utf8'));
    await until(async () => !running(hookPid), 5_000, 'the hook git started to be killed too');
  });

  it('makes a browse request answer 504 problem+json instead of hanging', async () => {
    const thaw = await blockRefs(bare);
    try {
      const res = await within(
        10_000,
        'GET /branches',
        t.http.inject({ url: `/api/projects/${slug}/branches`, headers: bearer(owner.token) }),
      );
      expect(res.statusCode, res.body).toBe(504);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 504, code: 'git_timeout', title: 'Gateway Timeout' });
      expect(res.json().detail).toContain('git for-each-ref did not finish within 1 s');
    } finally {
      await thaw();
    }
    expect(
      (await t.http.inject({ url: `/api/projects/${slug}/branches`, headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(200);
  });
});

describe('smart HTTP with git that stops moving', () => {
  it('answers 504 to a ref advertisement that never comes', async () => {
    const thaw = await blockRefs(bare);
    try {
      const res = await within(
        10_000,
        'GET info/refs',
        fetch(`${base}/git/${slug}.git/info/refs?service=git-upload-pack`, {
          headers: { authorization: `Basic ${Buffer.from(`git:${owner.token}`).toString('base64')}` },
        }),
      );
      expect(res.status).toBe(504);
      expect(await res.text()).toContain('git upload-pack stopped: no data moved for 2 s');
    } finally {
      await thaw();
    }
  });

  it('kills a push whose hook goes silent, hook included; a push whose hook keeps talking takes as long as it needs', async () => {
    const hooks = await ensureHooks(t.config.home);
    const preReceive = path.join(hooks, 'pre-receive');
    try {
      const pidFile = await sleepingHook(preReceive);
      await commitFiles(work, { 'b.txt': 'b\n' }, 'b');
      const started = performance.now();
      const push = await within(
        20_000,
        'git push',
        gitCli(['push', remoteUrl(base, slug, owner.token), 'main:refs/heads/silent'], work),
      );
      expect(push.code, push.stderr).not.toBe(0);
      expect(push.stderr).toMatch(/504/);
      const hookPid = Number(await readFile(pidFile, 'utf8'));
      await until(async () => !running(hookPid), 5_000, 'the silent hook to be killed');
      process.stdout.write(`silent push ended after ${Math.round(performance.now() - started)} ms\n`);

      // 3 s of hook output, a line every 0.2 s: longer than the 2 s idle limit, never idle for it.
      await writeFile(
        preReceive,
        '#!/bin/sh\ni=0\nwhile [ $i -lt 15 ]; do echo "checking $i"; i=$((i+1)); sleep 0.2; done\n',
      );
      const talking = performance.now();
      const slow = await within(
        30_000,
        'git push',
        gitCli(['push', remoteUrl(base, slug, owner.token), 'main:refs/heads/talking'], work),
      );
      const tookMs = Math.round(performance.now() - talking);
      expect(slow.code, slow.stderr).toBe(0);
      expect(slow.stderr).toContain('remote: checking 14');
      expect(tookMs).toBeGreaterThan(2_000);
      process.stdout.write(`talking push took ${tookMs} ms\n`);
    } finally {
      await rm(preReceive, { force: true });
    }
    expect(existsSync(preReceive)).toBe(false);
  }, 60_000);
});
