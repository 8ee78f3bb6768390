import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appJson, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { withDatabase } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { listTemplates, renderTemplate } from '../../agents/index.ts';
import { parseAppSettings } from '../app-settings.ts';
import { ensureEnvironment, findEnvironment } from '../environment-store.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { AppLog } from '../serve/app-log.ts';
import { noServerReason } from './app-database-server.ts';
import { type AppDatabaseRow, findLiveAppDatabase } from './app-database-store.ts';
import { closeDroppingDatabases } from './app-databases.test-support.ts';
import { databaseCauses, launchAppDatabase } from './launch-app-database.ts';

describe('databaseCauses: whether a start gets its database, and why', () => {
  it('is app.yml’s `database: postgres`, the attached service, or a database the environment has', () => {
    expect(databaseCauses({ appYml: false, service: false, live: false })).toEqual([]);
    expect(databaseCauses({ appYml: true, service: false, live: false })).toEqual(['app.yml']);
    expect(databaseCauses({ appYml: false, service: true, live: false })).toEqual(['service']);
    // Detached, or the line dropped from app.yml: the database it has stays its own.
    expect(databaseCauses({ appYml: false, service: false, live: true })).toEqual(['live']);
    expect(databaseCauses({ appYml: true, service: true, live: true })).toEqual([
      'app.yml',
      'service',
      'live',
    ]);
  });
});

const adminUrl = inject('pgAdminUrl');
const ctx = { actor: SYSTEM_ACTOR };
/**
 * The crud-app template's app with an app.yml that asks for no database (its migration stays), and
 * two endpoints of this test's own: whether the app was given DATABASE_URL, and an exit (a crash,
 * which the supervisor restarts: a start that is not a deploy).
 */
const app = {
  ...Object.fromEntries(
    renderTemplate('crud-app', listTemplates().find((t) => t.id === 'crud-app')!.blueprint),
  ),
  '.orchard/app.yml': 'start: node server.js\nhealthPath: /health\nmigrate: node scripts/migrate.js\n',
  'app/custom-endpoints.js': `export const customEndpoints = [
  { method: 'GET', path: '/api/probe/database', handle: () => ({ body: { given: Boolean(process.env.DATABASE_URL) } }) },
  { method: 'POST', path: '/api/probe/exit', handle: () => { setTimeout(() => process.exit(7), 20); return { body: {} }; } },
];
`,
};

/** Rows of the app's `projects` table, read on the apps' server in its own database. */
async function projectNames(database: string) {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT data->>'name' AS name FROM projects ORDER BY id`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('the database service', () => {
  let f: DeployFixture;
  let staging: { id: string; label: string };
  let database: AppDatabaseRow;
  const host = (label: string) => `${label}.localhost:${f.port}`;
  const services = `/api/projects/svcdb/services`;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    f.t.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${f.token}` },
      ...(payload ? { payload } : {}),
    });
  const appLog = (envId: string) =>
    f.t.res.deploy.supervisor
      .logOf(envId)!
      .tail(500)
      .map((l) => l.text)
      .join('\n');
  const given = async (label: string) =>
    ((await appJson(f.port, host(label), 'GET', '/api/probe/database')).json as { given: boolean }).given;
  const deploy = async (version: string) => {
    const sha = await f.push(version, { extra: { ...app, 'NOTES.md': `${version}\n` } });
    const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'staging',
      ref: sha,
    });
    return { sha, environment };
  };

  beforeAll(async () => {
    f = await deployFixture({ 'appDatabases.serverUrl': adminUrl }, { slug: 'svcdb' });
  });
  // Staging's and production's databases are never dropped by Orchard: the test drops its own.
  afterAll(async () => closeDroppingDatabases(f));

  it('is offered where Orchard has a server for apps’ databases', async () => {
    const res = await call('GET', '/api/services');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.find((s: { id: string }) => s.id === 'database')).toMatchObject({
      available: true,
    });
  });

  it('gives no DATABASE_URL to an app whose app.yml asks for no database while it is not attached', async () => {
    const { environment } = await deploy('s1');
    staging = { id: environment.id, label: environment.host_label };
    expect(await given(staging.label)).toBe(false);
    expect(await findLiveAppDatabase(f.t.res.db, staging.id)).toBeUndefined();
    const log = appLog(staging.id);
    expect(log).toContain(
      'DATABASE_URL is not set: the app keeps its records in DATA_DIR, nothing to migrate.',
    );
    expect(log).not.toContain('Records are kept in PostgreSQL');
  });

  it('once attached, gives the next deploy a database of its own, migrated, where the app stores its rows', async () => {
    const attached = await call('POST', services, { id: 'database' });
    expect(attached.statusCode, attached.body).toBe(201);
    const { sha } = await deploy('s2');
    expect(await given(staging.label)).toBe(true);
    database = (await findLiveAppDatabase(f.t.res.db, staging.id))!;
    expect(database).toMatchObject({ status: 'ready', environment_kind: 'staging' });
    const created = await appJson(f.port, host(staging.label), 'POST', '/api/projects', { name: 'Launch' });
    expect(created.status).toBe(201);
    expect(await projectNames(database.name)).toEqual(['Launch']);
    const log = appLog(staging.id);
    expect(log).toContain(`▶ Migrating for release ${sha.slice(0, 7)}: node scripts/migrate.js`);
    expect(log).toContain('Tables ready: projects, tasks');
    expect(log).toContain('Records are kept in PostgreSQL (DATABASE_URL)');
  });

  it('without a server for apps’ databases: says so naming the service, and never starts one that has a database on its file store', async () => {
    // The server went away after the attach: the launch step is asked directly, with none.
    const settings = parseAppSettings(app['.orchard/app.yml']);
    const log = new AppLog(path.join(f.t.config.home, 'logs', 'no-server.log'));
    const row = await ensureEnvironment(f.t.res.db, {
      projectId: f.project.id,
      name: 'production',
      kind: 'production',
      branch: null,
      hostLabel: 'production--svcdb',
      now: new Date(),
    });
    const input = {
      ...f.t.res.deploy.deps,
      env: (await findEnvironment(f.t.res.db, row.id))!,
      release: undefined,
      log,
      appDatabases: undefined,
      databaseService: true,
    };
    const none = await launchAppDatabase(input, settings, { env: {}, secretValues: [] });
    expect(none).toMatchObject({ ok: true, database: { env: {}, readOnly: [] } });
    expect(log.tail(5).map((l) => l.text)).toEqual([
      `⚠ The project has the database service attached, but ${noServerReason(f.t.config)}. The app keeps its records in DATA_DIR (its file store).`,
    ]);
    expect(await findLiveAppDatabase(f.t.res.db, row.id)).toBeUndefined();
    // Staging has its database: neither app.yml nor the service asks, and still it never starts without it.
    const refused = await launchAppDatabase(
      { ...input, env: (await findEnvironment(f.t.res.db, staging.id))!, databaseService: false },
      settings,
      { env: {}, secretValues: [] },
    );
    expect(refused).toEqual({
      ok: false,
      reason: `its database ${database.name} is on ${database.server}, but ${noServerReason(f.t.config)}`,
    });
    await log.close();
  });

  it('once detached, still gives the next start the same database, rows and all, and says why', async () => {
    expect((await call('DELETE', `${services}/database`)).statusCode).toBe(204);
    // A crash restart: a start that is not a deploy.
    const before = (await findEnvironment(f.t.res.db, staging.id))!;
    expect((await appJson(f.port, host(staging.label), 'POST', '/api/probe/exit', {})).status).toBe(200);
    await until(
      async () => {
        const env = (await findEnvironment(f.t.res.db, staging.id))!;
        return env.status === 'running' && env.port !== before.port;
      },
      20_000,
      'the app to be restarted',
    );
    expect(await given(staging.label)).toBe(true);
    const listed = await appJson(f.port, host(staging.label), 'GET', '/api/projects');
    expect((listed.json as { items: Array<{ name: string }> }).items.map((p) => p.name)).toEqual(['Launch']);
    expect((await findLiveAppDatabase(f.t.res.db, staging.id))!.id).toBe(database.id);
    expect(appLog(staging.id)).toContain(
      `▣ The app keeps its database ${database.name} (DATABASE_URL): neither .orchard/app.yml (database: postgres) nor the project's database service asks for it any more`,
    );
  });

  it('keeps it, and runs the migration, at the next deploy too', async () => {
    const { sha } = await deploy('s3');
    expect(await given(staging.label)).toBe(true);
    const created = await appJson(f.port, host(staging.label), 'POST', '/api/projects', { name: 'After' });
    expect(created.status).toBe(201);
    expect(await projectNames(database.name)).toEqual(['Launch', 'After']);
    expect((await findLiveAppDatabase(f.t.res.db, staging.id))!.id).toBe(database.id);
    const log = appLog(staging.id);
    const migrating = `▶ Migrating for release ${sha.slice(0, 7)}: node scripts/migrate.js`;
    expect(log).toContain(migrating);
    expect(log.slice(log.indexOf(migrating))).toContain('Tables ready: projects, tasks');
  });
});
