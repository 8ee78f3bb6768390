// npm run bench:backup [projects=100] — backup and restore of a home of N projects (a repository
// with a history each, issues, secrets, a blob), Orchard's `backUp`/`restoreBackup` against the
// classic pair measured side by side on the same PostgreSQL: `pg_dump -Fc` + `tar -czf` of the home's
// folders, and `pg_restore` + `tar -xzf`. Orchard's archive is also encrypted and checked on
// restore, which the peer is not. Needs DATABASE_URL: a server whose major version pg_dump on
// PATH can dump (the machine's PostgreSQL), as a role that may create databases.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createHttp, createResources, homeMovedListeners, sealedStores } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { backUp, restoreBackup } from '../src/modules/backup/index.ts';
import { ensureRepository } from '../src/modules/git/index.ts';
import { createToken, createUser } from '../src/modules/identity/index.ts';
import { installMasterKeyFile, masterKeyFile } from '../src/modules/secrets/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { withDatabase } from '../src/platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../src/platform/http/actor.ts';
import { createLogger } from '../src/platform/log.ts';
import { orchardVersion } from '../src/platform/orchard-version.ts';

const run = promisify(execFile);
const PROJECTS = Number(process.argv[2] ?? 100);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  process.stderr.write(
    'Set DATABASE_URL to a PostgreSQL the pg_dump on PATH can dump (its major version or older).\n',
  );
  process.exit(2);
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
const databases: string[] = [];
async function freshDatabase(tag: string) {
  const name = `orchard_bench_${tag}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  databases.push(name);
  return withDatabase(adminUrl!, name);
}
const git = (args: string[], cwd: string) =>
  run('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() } });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

const work = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-backup-'));
try {
  // ── A home of N projects ────────────────────────────────────────────────────────────────────
  const home = path.join(work, 'home');
  const url = await freshDatabase('source');
  const config = loadConfig({ env: {}, cwd: work, flags: { home, databaseUrl: url, logLevel: 'warn' } });
  const res = await createResources(config, url, { logger: createLogger({ level: 'warn' }), poolSize: 5 });
  await migrate(res.db);
  const http = await createHttp(res, { webRoot: path.join(work, 'no-web') });
  const user = await createUser(
    res.db,
    { actor: SYSTEM_ACTOR },
    {
      username: 'bench',
      email: 'bench@example.test',
      password: 'bench-password-long-enough',
      role: 'admin',
    },
  );
  const { token } = await createToken(
    res.db,
    res.clock,
    { actor: SYSTEM_ACTOR },
    {
      userId: user.id,
      name: 'bench',
      scopes: ['read', 'write', 'admin'],
    },
  );
  const call = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const answer = await http.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
    if (answer.statusCode >= 300) throw new Error(`${method} ${url}: ${answer.statusCode} ${answer.body}`);
  };
  const seedStart = performance.now();
  const template = path.join(work, 'template');
  await mkdir(template);
  await git(['init', '-q', '-b', 'main'], template);
  for (let commit = 0; commit < 10; commit++) {
    for (let file = 0; file < 20; file++)
      await writeFile(
        path.join(template, `file-${file}.js`),
        `// ${commit}\n${randomBytes(1500).toString('base64')}\n`,
      );
    await git(['add', '-A'], template);
    await git(
      ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '-m', `commit ${commit}`],
      template,
    );
  }
  for (let n = 0; n < PROJECTS; n++) {
    const slug = `project-${n}`;
    await call('POST', '/api/projects', { name: slug, slug });
    const bare = await ensureRepository(home, slug);
    await git(['push', '-q', bare, 'main:main'], template);
    for (let i = 0; i < 5; i++)
      await call('POST', `/api/projects/${slug}/issues`, {
        title: `Issue ${i} of ${slug}`,
        body: 'x'.repeat(500),
      });
    await call('PUT', `/api/projects/${slug}/secrets/API_KEY`, { value: randomBytes(24).toString('hex') });
    await res.blobs.put(`artifacts/${slug}/report.bin`, randomBytes(64 * 1024));
  }
  process.stdout.write(`Seeded ${PROJECTS} projects in ${seconds(performance.now() - seedStart)}\n`);

  // ── Orchard: backup (without and with its verification), restore ────────────────────────────
  const deps = {
    home,
    databaseUrl: url,
    db: res.db,
    vault: res.vault,
    sealedStores,
    orchardVersion: orchardVersion(),
    config,
    verifyDatabaseUrl: adminUrl!,
  };
  const [plain, backupMs] = await timed(() =>
    backUp(deps, { dir: path.join(work, 'b1'), keep: 5, verify: false }),
  );
  const [, verifiedMs] = await timed(() =>
    backUp(deps, { dir: path.join(work, 'b2'), keep: 5, verify: true }),
  );
  const restoredHome = path.join(work, 'restored');
  await installMasterKeyFile(restoredHome, await readFile(masterKeyFile(home), 'utf8'), 'bench');
  const restoreUrl = await freshDatabase('restore');
  const restoreStart = performance.now();
  const [, restoreMs] = await timed(() =>
    restoreBackup(plain.archive.file, {
      home: restoredHome,
      databaseUrl: restoreUrl,
      ring: res.vault.ring,
      onHomeMoved: homeMovedListeners,
      onProgress: process.env.BENCH_VERBOSE
        ? (line) => process.stderr.write(`${seconds(performance.now() - restoreStart)} ${line}\n`)
        : undefined,
    }),
  );

  // ── The peer: pg_dump + tar, pg_restore + tar ───────────────────────────────────────────────
  const dump = path.join(work, 'peer.dump');
  const tarball = path.join(work, 'peer.tar.gz');
  const folders = ['repos', 'blobs'];
  const [, peerBackupMs] = await timed(async () => {
    await run('pg_dump', ['--format=custom', '--compress=6', '--file', dump, url]);
    await run('tar', ['-czf', tarball, '-C', home, ...folders]);
  });
  const peerUrl = await freshDatabase('peer');
  const peerHome = path.join(work, 'peer-home');
  await mkdir(peerHome);
  const [, peerRestoreMs] = await timed(async () => {
    await run('pg_restore', ['--no-owner', '--dbname', peerUrl, dump]);
    await run('tar', ['-xzf', tarball, '-C', peerHome]);
  });

  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const peerBytes = (await stat(dump)).size + (await stat(tarball)).size;
  process.stdout.write(
    [
      `Home: ${PROJECTS} projects, ${plain.archive.manifest.database.tables.reduce((n, t) => n + t.rows, 0)} rows, ${plain.archive.manifest.files.files} files`,
      `Orchard backup:  ${seconds(backupMs)} (${mib(plain.archive.bytes)}, encrypted); with its verification ${seconds(verifiedMs)}`,
      `Orchard restore: ${seconds(restoreMs)}`,
      `pg_dump + tar:   ${seconds(peerBackupMs)} (${mib(peerBytes)}, not encrypted)`,
      `pg_restore + tar: ${seconds(peerRestoreMs)}`,
      `Ratio backup ${(backupMs / peerBackupMs).toFixed(2)}×, restore ${(restoreMs / peerRestoreMs).toFixed(2)}× (Orchard / peer)`,
    ].join('\n') + '\n',
  );
  await http.close();
  await res.telemetry.close();
  await res.bus.close();
  await res.db.end();
} finally {
  for (const name of databases)
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  if (process.env.BENCH_KEEP) process.stderr.write(`kept ${work}\n`);
  else await rm(work, { recursive: true, force: true });
}
process.exit(0);
