import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWorkerPool } from '../src/modules/operations/index.ts';
import type { TestApp } from './app.ts';
import { bearer } from './app.ts';

/** Listens the test app on a random loopback port and returns its base URL (for the real git CLI). */
export async function listenApp(t: TestApp): Promise<string> {
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const address = t.http.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

export function remoteUrl(base: string, slug: string, token?: string) {
  const u = new URL(`${base}/git/${slug}.git`);
  if (token) {
    u.username = 'git';
    u.password = token;
  }
  return u.toString();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let gitHome: string | undefined;

/** Runs the real git CLI with no prompts, a throwaway HOME and a fixed identity (`input`: its stdin). */
export async function gitCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  gitHome ??= await mkdtemp(path.join(os.tmpdir(), 'orchard-git-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: gitHome,
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Test Author',
        GIT_AUTHOR_EMAIL: 'author@example.test',
        GIT_COMMITTER_NAME: 'Test Author',
        GIT_COMMITTER_EMAIL: 'author@example.test',
        LANG: 'C',
        ...env,
      },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like gitCli but throws with git's stderr on failure. */
export async function gitOk(args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const r = await gitCli(args, cwd, env);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** A fresh local repository on `main`. */
export async function localRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-work-'));
  await gitOk(['init', '-q', '-b', 'main'], dir);
  return dir;
}

/** Writes files (creating directories) and commits them. Returns the new commit's sha. */
export async function commitFiles(
  dir: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  await gitOk(['add', '-A'], dir);
  await gitOk(['commit', '-q', '-m', message], dir);
  return (await gitOk(['rev-parse', 'HEAD'], dir)).trim();
}

/** Creates a project as `token`'s user and returns its slug. */
export async function createProjectAs(t: TestApp, token: string, slug: string): Promise<string> {
  const r = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(token),
    payload: { name: slug, slug },
  });
  if (r.statusCode !== 201) throw new Error(`create project: ${r.statusCode} ${r.body}`);
  return slug;
}

export async function addMember(
  t: TestApp,
  ownerToken: string,
  slug: string,
  username: string,
  role: string,
) {
  const r = await t.http.inject({
    method: 'PUT',
    url: `/api/projects/${slug}/members/${username}`,
    headers: bearer(ownerToken),
    payload: { role },
  });
  if (r.statusCode !== 200) throw new Error(`add member: ${r.statusCode} ${r.body}`);
}

/** Starts an operations worker pool on the test app (every queue); stop it before closing the app. */
export async function startWorkers(t: TestApp, concurrency = 4) {
  const pool = createWorkerPool({
    res: t.res,
    registry: t.res.registry,
    queues: [],
    concurrency,
    pollMs: 200,
  });
  await pool.start();
  return pool;
}
