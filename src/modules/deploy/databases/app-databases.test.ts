import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findLeak } from '../../../../test/secret-leaks.ts';
import {
  appJson,
  appRequest,
  type DeployFixture,
  deployFixture,
} from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { withDatabase } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { listTemplates, renderTemplate } from '../../agents/index.ts';
import { MASK } from '../../secrets/index.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { DeployFailedError } from '../errors.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { markReleaseVerified } from '../releases/mark-release-verified.ts';
import { publishRelease } from '../releases/publish-release.ts';
import { removePreview } from '../remove-environment.ts';
import {
  type AppDatabaseRow,
  appDatabaseAad,
  findLiveAppDatabase,
  listAppDatabaseBackups,
  listAppDatabases,
  sealedPassword,
} from './app-database-store.ts';
import { closeDroppingDatabases } from './app-databases.test-support.ts';
import { backUpAppDatabase } from './back-up-app-database.ts';
import { findAppDatabase } from './find-app-database.ts';

const adminUrl = inject('pgAdminUrl');
const ctx = { actor: SYSTEM_ACTOR };
/** The crud-app template's own app, as the scaffold generates it. */
const crudApp = Object.fromEntries(
  renderTemplate('crud-app', listTemplates().find((t) => t.id === 'crud-app')!.blueprint),
);

/** One statement on the apps' server, as its admin (in `database` when given). */
async function onServer<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], database?: string) {
  const client = new pg.Client({ connectionString: database ? withDatabase(adminUrl, database) : adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function existsOnServer(name: string) {
  const [row] = await onServer<{ database: boolean; role: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS database,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role`,
    [name],
  );
  return row!;
}

describe('databases for apps', () => {
  let f: DeployFixture;
  const host = (label: string) => `${label}.localhost:${f.port}`;
  const names = (items: unknown) => (items as { items: Array<{ name: string }> }).items.map((p) => p.name);
  const appLog = (envId: string) =>
    f.t.res.deploy.supervisor
      .logOf(envId)!
      .tail(500)
      .map((l) => l.text)
      .join('\n');
  const passwordOf = (row: AppDatabaseRow) => f.t.res.vault.open(sealedPassword(row), appDatabaseAad(row.id));
  let preview: { id: string; label: string; database: AppDatabaseRow };
  const deployLog: string[] = [];

  beforeAll(async () => {
    f = await deployFixture({ 'appDatabases.serverUrl': adminUrl, 'appDatabases.keepBackups': 2 });
  });
  // Staging's and production's databases are never dropped by Orchard: the test drops its own.
  afterAll(async () => closeDroppingDatabases(f));

  it('gives a preview of a crud app a database of its own on deploy, and the app stores its rows there', async () => {
    const sha = await f.push('c1', { branch: 'feat/db', extra: crudApp });
    const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'preview/feat/db',
      ref: sha,
      onLog: (line) => deployLog.push(line),
    });
    const database = (await findLiveAppDatabase(f.t.res.db, environment.id))!;
    expect(database).toMatchObject({
      status: 'ready',
      environment_kind: 'preview',
      server: expect.any(String),
    });
    expect(database.name).toMatch(/^app_shop_preview_feat_db_[0-9a-f]{6}$/);
    expect(await existsOnServer(database.name)).toEqual({ database: true, role: true });
    // Nobody but its own role may connect to it.
    const [acl] = await onServer<{ public: boolean }>(
      `SELECT has_database_privilege('public', $1, 'CONNECT') AS public`,
      [database.name],
    );
    expect(acl!.public).toBe(false);
    preview = { id: environment.id, label: environment.host_label, database };

    const created = await appJson(f.port, host(preview.label), 'POST', '/api/projects', { name: 'Launch' });
    expect(created.status).toBe(201);
    const rows = await onServer<{ name: string }>(
      `SELECT data->>'name' AS name FROM projects ORDER BY id`,
      [],
      database.name,
    );
    expect(rows).toEqual([{ name: 'Launch' }]);
    const log = appLog(environment.id);
    expect(log).toContain(`▶ Migrating for release ${sha.slice(0, 7)}: node scripts/migrate.js`);
    expect(log).toContain('Tables ready: projects, tasks');
    expect(log).toContain('Records are kept in PostgreSQL (DATABASE_URL)');
  });

  it('never shows the password: not in the logs, the deploy log or the API', async () => {
    const password = passwordOf(preview.database);
    const listed = await f.t.http.inject({
      method: 'GET',
      url: `/api/projects/${f.slug}/environments`,
      headers: { authorization: `Bearer ${f.token}` },
    });
    expect(listed.statusCode).toBe(200);
    for (const [where, text] of Object.entries({
      'app log': appLog(preview.id),
      'deploy log': deployLog.join('\n'),
      "Orchard's log": f.t.logs.join('\n'),
      'environments API': listed.body,
    }))
      expect(findLeak(text, password), where).toBeUndefined();
  });

  it('lets through its relay only the app’s own role, to its own database', async () => {
    const [dir] = await readdir(path.join(f.t.config.home, 'run', 'app-db'));
    const socketDir = path.join(f.t.config.home, 'run', 'app-db', dir!);
    const connect = async (user: string, database: string, password: string) => {
      const client = new pg.Client({ host: socketDir, port: 5432, user, database, password });
      await client.connect();
      try {
        return (await client.query<{ me: string }>('SELECT current_user AS me')).rows[0]!.me;
      } finally {
        await client.end();
      }
    };
    const name = preview.database.name;
    expect(await connect(name, name, passwordOf(preview.database))).toBe(name);
    await expect(connect('postgres', 'postgres', 'guess')).rejects.toThrow(
      `this socket is for role "${name}" and its database "${name}" only`,
    );
    await expect(connect(name, 'postgres', passwordOf(preview.database))).rejects.toThrow(/only/);
  });

  it('keeps the rows across a redeploy, whose migration runs first', async () => {
    const sha = await f.push('c2', { branch: 'feat/db', extra: { ...crudApp, 'NOTES.md': 'second\n' } });
    await deployRef(f.t.res.deploy.deps, ctx, { slug: f.slug, env: 'preview/feat/db', ref: sha });
    const listed = await appJson(f.port, host(preview.label), 'GET', '/api/projects');
    expect(names(listed.json)).toEqual(['Launch']);
    expect(appLog(preview.id)).toContain(`▶ Migrating for release ${sha.slice(0, 7)}`);
    expect((await findLiveAppDatabase(f.t.res.db, preview.id))!.name).toBe(preview.database.name);
  });

  it('fails a deploy whose migration fails, with its output (DATABASE_URL masked); the running release keeps serving', async () => {
    const appYml = `start: node server.js
database: postgres
migrate: |
  echo "migrating $DATABASE_URL"
  echo 'ERROR: relation "missing" does not exist' >&2
  exit 3
`;
    const sha = await f.push('c3', { branch: 'feat/db', extra: { ...crudApp, '.orchard/app.yml': appYml } });
    const failed = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'preview/feat/db',
      ref: sha,
    }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(DeployFailedError);
    const message = (failed as Error).message;
    expect(message).toContain('the migration failed (exit 3)');
    expect(message).toContain('ERROR: relation "missing" does not exist');
    expect(message).toContain(`migrating ${MASK}`);
    expect(findLeak(message, passwordOf(preview.database))).toBeUndefined();
    const listed = await appJson(f.port, host(preview.label), 'GET', '/api/projects');
    expect(names(listed.json)).toEqual(['Launch']);
  });

  it('drops the database and its role when the preview is removed, and records when', async () => {
    const name = preview.database.name;
    expect(await removePreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'feat/db' })).toBe(true);
    expect(await existsOnServer(name)).toEqual({ database: false, role: false });
    const [row] = await listAppDatabases(f.t.res.db, preview.id);
    expect(row).toMatchObject({ name, status: 'dropped', dropped_at: expect.any(Date) });
    // Its relay went with its app.
    await until(async () => (await readdir(path.join(f.t.config.home, 'run', 'app-db'))).length === 0);
  });

  it('drops, on the reconciler’s sweep, the database of a preview whose drop failed at its removal', async () => {
    const sha = await f.push('o1', { branch: 'feat/orphan', extra: crudApp });
    const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'preview/feat/orphan',
      ref: sha,
    });
    const { name } = (await findLiveAppDatabase(f.t.res.db, environment.id))!;
    // The server is out of reach at the removal (here: no server configured for the moment).
    const deps = f.t.res.deploy.deps;
    const server = deps.appDatabases;
    deps.appDatabases = undefined;
    try {
      expect(await removePreview(deps, ctx, { slug: f.slug, branch: 'feat/orphan' })).toBe(true);
    } finally {
      deps.appDatabases = server;
    }
    expect(await existsOnServer(name)).toEqual({ database: true, role: true });
    expect((await listAppDatabases(f.t.res.db, environment.id))[0]).toMatchObject({
      status: 'ready',
      last_error: expect.stringMatching(/not dropped/),
    });
    await f.t.res.deploy.sweep();
    expect(await existsOnServer(name)).toEqual({ database: false, role: false });
    expect((await listAppDatabases(f.t.res.db, environment.id))[0]).toMatchObject({ status: 'dropped' });
  });

  it('backs production’s database up before each publish, with its rows, and runs production’s migration', async () => {
    const release = async (version: string) => {
      const sha = await f.push(version, { extra: { ...crudApp, 'NOTES.md': `${version}\n` } });
      const { release } = await deployRef(f.t.res.deploy.deps, ctx, {
        slug: f.slug,
        env: 'staging',
        ref: sha,
      });
      await markReleaseVerified(f.t.res.deploy.deps, ctx, release.id, { passed: true });
      return release;
    };
    await release('p1');
    const first = await publishRelease(f.t.res.deploy.deps, ctx, { slug: f.slug });
    expect(first.backup).toBeUndefined(); // production had no database before its first start
    const production = first.environment;
    const database = (await findLiveAppDatabase(f.t.res.db, production.id))!;
    const staging = (await findEnvironmentByName(f.t.res.db, f.project.id, 'staging'))!;
    expect(database.name).not.toBe((await findLiveAppDatabase(f.t.res.db, staging.id))!.name);
    const shipped = await appJson(f.port, host(production.host_label), 'POST', '/api/projects', {
      name: 'Shipped on Friday',
    });
    expect(shipped.status).toBe(201);

    const p2 = await release('p2');
    const second = await publishRelease(f.t.res.deploy.deps, ctx, { slug: f.slug });
    expect(second.backup).toMatchObject({ tables: 2, rows: 1, before_release_id: p2.id });
    const blob = (await f.t.res.blobs.get(second.backup!.blob_key))!;
    const chunks: Buffer[] = [];
    for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
    const sql = gunzipSync(Buffer.concat(chunks)).toString('utf8');
    expect(sql).toContain('COPY "public"."projects" ("id", "data", "created_at", "updated_at") FROM stdin;');
    expect(sql).toMatch(/^1\t\{"name": "Shipped on Friday", "description": null\}\t/m);
    expect(sql).toContain(`SELECT pg_catalog.setval('public.projects_id_seq', 1, true);`);
    const log = appLog(production.id);
    expect(log).toContain(
      `▣ Backed up the database ${database.name} before publishing release ${p2.sha.slice(0, 7)}`,
    );
    expect(log).toContain(`▶ Migrating for release ${p2.sha.slice(0, 7)}`);
    const listed = await appJson(f.port, host(production.host_label), 'GET', '/api/projects');
    expect(names(listed.json)).toEqual(['Shipped on Friday']);

    // Only the newest keepBackups (2 here) stay, blobs and rows.
    const deps = { ...f.t.res.deploy.deps, blobs: f.t.res.deploy.deps.blobs! };
    await backUpAppDatabase(deps, deps.appDatabases!, production, database);
    await backUpAppDatabase(deps, deps.appDatabases!, production, database);
    const kept = await listAppDatabaseBackups(f.t.res.db, production.id);
    expect(kept).toHaveLength(2);
    expect(kept.map((b) => b.blob_key)).not.toContain(second.backup!.blob_key);
    expect(await f.t.res.blobs.get(second.backup!.blob_key)).toBeUndefined();
    // What other modules may see of it: its name, state and backups, never its password.
    const view = await findAppDatabase(f.t.res.db, production.id);
    expect(view).toMatchObject({ name: database.name, status: 'ready', backups: [{}, {}] });
    expect(findLeak(JSON.stringify(view), passwordOf(database))).toBeUndefined();
  });
});

describe('an app that asks for a database where no server is configured', () => {
  let f: DeployFixture;
  beforeAll(async () => {
    // The test Orchard runs on DATABASE_URL (the test database), so no server is the default.
    f = await deployFixture({}, { slug: 'nodb' });
  });
  afterAll(async () => f?.close());

  it('keeps its file store, and the deploy log and the environment’s log say why', async () => {
    const lines: string[] = [];
    const sha = await f.push('n1', { appYml: 'start: node server.js\ndatabase: postgres\n' });
    const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'staging',
      ref: sha,
      onLog: (line) => lines.push(line),
    });
    const why =
      /asks for a PostgreSQL database, but Orchard runs on an external PostgreSQL \(DATABASE_URL\) and no server for apps’ databases is configured: set appDatabases\.serverUrl/;
    expect(lines.join('\n')).toMatch(why);
    const log = f.t.res.deploy.supervisor
      .logOf(environment.id)!
      .tail(50)
      .map((l) => l.text)
      .join('\n');
    expect(log).toMatch(why);
    const env = await appRequest(
      f.port,
      `${environment.host_label}.localhost:${f.port}`,
      `/sh?c=${encodeURIComponent('echo "$' + '{DATABASE_URL:-none}"')}`,
    );
    expect(env.body.trim()).toBe('none');
    expect(await findLiveAppDatabase(f.t.res.db, environment.id)).toBeUndefined();
  });
});
