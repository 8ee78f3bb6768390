/**
 * What the CLI runtime tests share: one install cache for every run (under the OS temp directory,
 * one directory per CLI version, so reruns skip the download), a workspace that is a real git
 * repository, the sandbox user, and reading and writing recorded streams.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SandboxUser } from '../../../platform/sandbox/index.ts';
import { git } from '../../git/index.ts';
import type { AgentEvent, AgentWorkspace } from '../agent-runtime.ts';
import type { CliRuntimeName, StreamMapper } from './cli-adapter.ts';
import { cliInstallDir } from './install-cli.ts';

/** Orchard's home as far as CLI installs go: shared by every test run on this machine. */
export const CLI_CACHE_HOME = path.join(os.tmpdir(), 'orchard-cli-cache');

const FIXTURES = path.join(import.meta.dirname, '__fixtures__');

const asRoot = process.getuid?.() === 0;

/** The unprivileged user a run uses when the tests run as root (as Orchard would derive one). */
export function testSandboxUser(n: number): SandboxUser | undefined {
  return asRoot ? { uid: 1_500_000_300 + n, gid: 1_500_000_300 + n } : undefined;
}

let reachable: Promise<boolean> | undefined;

/** Whether npm can reach its registry (asked once, with `npm ping`). */
export function registryReachable(): Promise<boolean> {
  reachable ??= new Promise((resolve) => {
    const child = spawn('npm', ['ping', '--no-update-notifier'], { stdio: 'ignore', timeout: 20_000 });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
  return reachable;
}

/** The CLI can be used: installed in the cache already, or installable from the registry. */
export async function cliObtainable(name: CliRuntimeName): Promise<boolean> {
  return existsSync(cliInstallDir(CLI_CACHE_HOME, name)) || registryReachable();
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
};

/** A git repository with one commit (README.md), in a directory the sandbox user can reach. */
export async function makeWorkspace(prefix: string): Promise<AgentWorkspace & { root: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), `orchard-${prefix}-`));
  // The sandbox's user must pass through to the workspace (it owns only the workspace itself).
  await chmod(root, 0o711);
  const dir = path.join(root, 'ws');
  await mkdir(dir);
  await git(['init', '--quiet', '--initial-branch', 'main'], { cwd: dir });
  await writeFile(path.join(dir, 'README.md'), '# Greeter\n');
  await git(['add', 'README.md'], { cwd: dir });
  await git(['commit', '--quiet', '--no-gpg-sign', '-m', 'Initial commit'], { cwd: dir, env: IDENTITY });
  const baseSha = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
  return { root, dir, branch: 'orchard/hello', baseSha, projectSlug: 'greeter' };
}

/** Placeholders that stand for the paths of the run that was recorded. */
export const RECORDED_WORKSPACE = '/workspace';
const RECORDED_HOME = '/orchard-home';

/** Writes a recorded stream, with this machine's paths replaced by placeholders. */
export async function writeRecording(
  file: string,
  lines: string[],
  paths: { workspace: string; home: string },
): Promise<void> {
  // Claude Code also names a directory after the workspace's path, with dashes for slashes.
  const replacements: [string, string][] = [
    [paths.workspace, RECORDED_WORKSPACE],
    [paths.home, RECORDED_HOME],
    [paths.workspace.replaceAll('/', '-'), RECORDED_WORKSPACE.replaceAll('/', '-')],
  ];
  let text = lines.join('\n');
  for (const [from, to] of replacements) text = text.split(from).join(to);
  await writeFile(path.join(FIXTURES, file), `${text}\n`);
}

/** A recorded stream's events, parsed line by line. */
export async function readRecording(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(FIXTURES, file), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every event a mapper makes of a recorded stream, and how it says the run ended. */
export async function mapRecording(file: string, mapper: StreamMapper) {
  const events: AgentEvent[] = (await readRecording(file)).flatMap((event) => mapper.map(event));
  const end = mapper.finish();
  return { events: [...events, ...end.events], summary: end.summary, failure: end.failure };
}
