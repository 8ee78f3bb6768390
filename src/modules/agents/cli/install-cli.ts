/**
 * Agent CLIs are installed on first use into Orchard's home (`<home>/agents/cli/<name>@<version>`),
 * never into a project's repository, at a pinned version. npm installs into a private temporary
 * directory that is renamed into place when complete, so a directory under its final name is always
 * a whole install, and two workers installing at once cannot corrupt it: the second rename fails
 * and its copy is thrown away. `--ignore-scripts`: no package code runs at install time.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { untilAborted } from '../../../platform/until-aborted.ts';
import type { CliAdapter, CliRuntimeName } from './cli-adapter.ts';
import { cliAdapter } from './cli-registry.ts';
import { LineSplitter } from './jsonl-reader.ts';

/** Where `cli` lives (installed or not). */
export function cliInstallDir(home: string, cli: CliRuntimeName | CliAdapter): string {
  const { name, version } = cliAdapter(cli);
  return path.join(home, 'agents', 'cli', `${name}@${version}`);
}

/** The install directory when `cli` is installed and its program is there, else undefined. */
export function findInstalledCli(home: string, cli: CliAdapter): string | undefined {
  const dir = cliInstallDir(home, cli);
  return existsSync(cli.entry(dir).at(-1)!) ? dir : undefined;
}

const inFlight = new Map<string, Promise<string>>();

export interface InstallOptions {
  /** npm's output, line by line. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Stops waiting; the install itself runs on (the next run gets it), and so cannot be cut half-way. */
  signal?: AbortSignal;
}

/**
 * Installs `cli` unless it is there already; returns its install directory. Concurrent calls in
 * one process share one install (only the first one's `onLine` hears npm).
 */
export function ensureCliInstalled(
  home: string,
  name: CliRuntimeName | CliAdapter,
  options: InstallOptions = {},
): Promise<string> {
  const cli = cliAdapter(name);
  const found = findInstalledCli(home, cli);
  if (found) return Promise.resolve(found);
  const dir = cliInstallDir(home, cli);
  let pending = inFlight.get(dir);
  if (!pending) {
    pending = install(home, cli, options).finally(() => inFlight.delete(dir));
    inFlight.set(dir, pending);
  }
  return options.signal ? untilAborted(pending, options.signal) : pending;
}

async function install(home: string, cli: CliAdapter, options: InstallOptions): Promise<string> {
  const dir = cliInstallDir(home, cli);
  const temp = path.join(path.dirname(dir), `.${cli.name}@${cli.version}.${randomBytes(4).toString('hex')}`);
  await mkdir(temp, { recursive: true });
  try {
    const spec = `${cli.packageName}@${cli.version}`;
    await runNpm(
      [
        'install',
        '--prefix',
        temp,
        spec,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--no-update-notifier',
      ],
      options,
      `Installing ${cli.label} ${cli.version} (npm install ${spec}) failed`,
    );
    const program = cli.entry(temp).at(-1)!;
    if (!existsSync(program))
      throw new Error(
        `${cli.label} ${cli.version} was installed but its program is missing (${path.relative(temp, program)}): this platform (${process.platform}-${process.arch}) may not be supported.`,
      );
    // The sandbox's user (another uid when Orchard is root) runs it: readable by all, whatever the umask.
    await openToAll(temp);
    try {
      await rename(temp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another worker finished first: its install is as good as ours.
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !findInstalledCli(home, cli)) throw error;
    }
    return dir;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function runNpm(args: string[], options: InstallOptions, failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const pipe = (stream: 'stdout' | 'stderr') => {
      const lines = new LineSplitter();
      const take = (list: string[]) => {
        for (const line of list) {
          if (!line.trim()) continue;
          tail.push(line);
          if (tail.length > 20) tail.shift();
          options.onLine?.(line, stream);
        }
      };
      child[stream].on('data', (chunk: Buffer) => take(lines.push(chunk)));
      child[stream].on('end', () => take(lines.flush()));
    };
    pipe('stdout');
    pipe('stderr');
    child.on('error', (error) =>
      reject(
        new Error(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${failure}: npm is not installed on this machine (it comes with Node.js).`
            : `${failure}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${failure} (exit ${code}):\n${tail.slice(-8).join('\n')}`));
    });
  });
}

/** a+r on files, a+rx on directories and on files executable by their owner; symlinks left alone. */
async function openToAll(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await openToAll(full);
    else {
      const { mode } = await lstat(full);
      const wanted = mode | 0o444 | (mode & 0o100 ? 0o111 : 0);
      if ((wanted & 0o7777) !== (mode & 0o7777)) await chmod(full, wanted & 0o7777);
    }
  }
  const { mode } = await lstat(dir);
  if ((mode & 0o555) !== 0o555) await chmod(dir, (mode | 0o555) & 0o7777);
}
