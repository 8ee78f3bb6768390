import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/until.ts';
import { createLogger } from '../log.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';
import { ensureOwnerDatabase } from './ensure-owner-database.ts';

/**
 * Orchard's own PostgreSQL must not be a way in: no TCP port, a random superuser password per
 * home kept in a 0600 file, and Orchard working as a role that is not a superuser.
 */
const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});

async function start(options: { tcp?: boolean; root?: string } = {}) {
  const root = options.root ?? (await mkdtemp(path.join(os.tmpdir(), 'orchard-epg-')));
  const server = await startEmbeddedPostgres({
    dir: path.join(root, 'pg'),
    credentialsFile: path.join(root, 'db.credentials.json'),
    tcp: options.tcp,
    logger,
  });
  cleanups.push(async () => {
    await server.stop();
    if (!options.root) await rm(root, { recursive: true, force: true });
  });
  return { root, server };
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function tcpConnects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
};

describe('embedded PostgreSQL', () => {
  let first: { root: string; server: EmbeddedPostgres };

  it('listens on a private Unix socket only, with a random superuser password in a 0600 file', async () => {
    first = await start();
    const { server, root } = first;
    const file = path.join(root, 'db.credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(server.socketDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.superuser.password).toBe(server.credentials.superuser.password);
    expect(server.credentials.superuser.password).not.toBe('orchard-embedded');

    expect(await tcpConnects(server.port)).toBe(false);
    expect(await query(server.adminUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await expect(query(withPassword(server.adminUrl, 'orchard-embedded'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );

    const second = await start();
    expect(second.server.credentials.superuser.password).not.toBe(server.credentials.superuser.password);
  });

  it('gives Orchard a database owned by a role that is not a superuser and cannot become one', async () => {
    const { server } = first;
    await ensureOwnerDatabase(server.adminUrl, server.credentials.owner, 'orchard');
    const url = server.urlFor(server.credentials.owner, 'orchard');
    const [role] = await query(
      url,
      'SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    await query(url, 'CREATE TABLE owned_here (id int)');
    await expect(query(url, "ALTER ROLE postgres PASSWORD 'x'")).rejects.toThrow(/permission denied|must be/);
    await expect(query(url, 'ALTER ROLE current_user SUPERUSER')).rejects.toThrow(
      /permission denied|must be/,
    );
    await expect(query(url, "COPY (SELECT 1) TO PROGRAM 'id'")).rejects.toThrow(/permission denied|must be/);
    // Idempotent: a second start changes nothing and keeps the table.
    await ensureOwnerDatabase(server.adminUrl, server.credentials.owner, 'orchard');
    expect(await query(url, 'SELECT count(*)::int AS n FROM owned_here')).toEqual([{ n: 0 }]);
  });

  it('opens 127.0.0.1 only when asked', async () => {
    const { server } = await start({ tcp: true });
    expect(await tcpConnects(server.port)).toBe(true);
  });

  it('moves a home made with the old fixed password and superuser-owned tables onto the new scheme', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'orchard-epg-legacy-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    // Make the home look like an old one: the fixed password, tables owned by the superuser, no file.
    const old = await start({ root });
    await query(old.server.adminUrl, `ALTER ROLE postgres PASSWORD 'orchard-embedded'`);
    await query(withPassword(old.server.adminUrl, 'orchard-embedded'), 'CREATE DATABASE orchard');
    const oldOrchard = withPassword(
      old.server.urlFor(old.server.credentials.superuser, 'orchard'),
      'orchard-embedded',
    );
    await query(oldOrchard, 'CREATE TABLE kept (id serial PRIMARY KEY, v text)');
    await query(oldOrchard, "INSERT INTO kept (v) VALUES ('still here')");
    await old.server.stop();
    await rm(path.join(root, 'db.credentials.json'));

    const { server } = await start({ root });
    expect(server.credentials.superuser.password).not.toBe('orchard-embedded');
    await expect(query(withPassword(server.adminUrl, 'orchard-embedded'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );
    await ensureOwnerDatabase(server.adminUrl, server.credentials.owner, 'orchard');
    const url = server.urlFor(server.credentials.owner, 'orchard');
    expect(await query(url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await query(url, "INSERT INTO kept (v) VALUES ('written by the owner')");
    const [owner] = await query(
      url,
      "SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'kept'",
    );
    expect(owner).toEqual({ owner: 'orchard' });
  });

  it('starts the server again when it dies under Orchard, with its data, and the pool reconnects', async () => {
    const { root, server } = await start();
    const pidOf = () =>
      Number(readFileSync(path.join(root, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pool = new pg.Pool({ connectionString: server.adminUrl, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    try {
      await pool.query('CREATE TABLE survived (n int)');
      await pool.query('INSERT INTO survived VALUES (42)');
      const first = pidOf();
      process.kill(first, 'SIGKILL');
      // The same pool, with no one restarting anything: it answers again, with what was committed.
      // (A backend of the dead server may answer for a moment: the new server's pid tells them apart.)
      const rows = await until(
        async () => pidOf() !== first && (await pool.query<{ n: number }>('SELECT n FROM survived')).rows,
        30_000,
        'the embedded PostgreSQL to answer again',
        100,
      );
      expect(rows).toEqual([{ n: 42 }]);
      const second = pidOf();
      expect(second).not.toBe(first);
      await server.stop();
      // stop() stops the server it started again, not the dead one.
      expect(() => process.kill(second, 0)).toThrow();
    } finally {
      await pool.end();
    }
  });
});
