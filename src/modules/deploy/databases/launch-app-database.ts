import type { Config } from '../../../config.ts';
import { type Clock, systemClock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Isolation } from '../../../platform/sandbox/index.ts';
import { projectSandboxUser } from '../../projects/index.ts';
import type { Vault } from '../../secrets/index.ts';
import type { AppSettings } from '../app-settings.ts';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { dataDir } from '../paths.ts';
import type { ReleaseRow } from '../releases/release-store.ts';
import type { AppLog } from '../serve/app-log.ts';
import { type AppDatabaseServer, noServerReason } from './app-database-server.ts';
import { findLiveAppDatabase } from './app-database-store.ts';
import { type DatabaseRelay, RELAY_PORT, startDatabaseRelay } from './database-relay.ts';
import { ensureAppDatabase } from './ensure-app-database.ts';
import { runMigration } from './run-migration.ts';

/** What an app's start gets from its database: DATABASE_URL, what to mask, what to bind. */
export interface LaunchDatabase {
  env: Record<string, string>;
  secretValues: string[];
  /** The relay's socket: bound read-only into the sandbox. */
  readOnly: string[];
  /** Stops the relay (when the app's process ends, or its start failed). */
  close(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** What of a launch (LaunchOptions) its database needs. */
export interface LaunchDatabaseInput {
  db: Db;
  config: Config;
  vault: Vault;
  clock?: Clock;
  env: EnvironmentWithSlug;
  release: ReleaseRow | undefined;
  log: AppLog;
  isolation?: Isolation;
  appDatabases?: AppDatabaseServer;
  deploying?: boolean;
  /** The project attached the database service (the composition root asks the services module). */
  databaseService?: boolean;
}

/** Why an environment's start gets its own database. */
export type DatabaseCause = 'app.yml' | 'service' | 'live';

/**
 * Whether an environment's start gets its own database, and why (every cause that holds, in this
 * order): its release's app.yml says `database: postgres`; its project attached the database
 * service; it already has a live database — kept when the line or the service goes, so a running
 * app never moves back to an empty file store. None: the app keeps its file store.
 */
export function databaseCauses(o: { appYml: boolean; service: boolean; live: boolean }): DatabaseCause[] {
  const causes: DatabaseCause[] = [];
  if (o.appYml) causes.push('app.yml');
  if (o.service) causes.push('service');
  if (o.live) causes.push('live');
  return causes;
}

/** Who asks for the database, as a log line says it (app.yml, the service, or both). */
function askers(causes: DatabaseCause[]): string {
  const who = [
    causes.includes('app.yml') && '.orchard/app.yml asks for a PostgreSQL database',
    causes.includes('service') && 'the project has the database service attached',
  ].filter(Boolean);
  const text = who.join(' and ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Before an app starts: when its app.yml says `database: postgres`, its project attached the
 * database service, or its environment already has a database (see databaseCauses), that database
 * is made ready and a relay opened to it (DATABASE_URL names the relay's socket); with no server
 * for apps' databases here, an environment that has one fails to start (its data would split in
 * two), one that has none keeps its file store and the log says why. Then, when answering a deploy
 * (not a restart), the release's `migrate` runs in the app's sandbox; a failed migration fails the
 * start, and so the deploy, before the release takes traffic.
 */
export async function launchAppDatabase(
  o: LaunchDatabaseInput,
  settings: AppSettings,
  app: { env: Record<string, string>; secretValues: string[] },
): Promise<{ ok: true; database: LaunchDatabase } | { ok: false; reason: string }> {
  const { env, config, release } = o;
  let relay: DatabaseRelay | undefined;
  const database: LaunchDatabase = {
    env: {},
    secretValues: [],
    readOnly: [],
    close: async () => relay?.close(),
  };
  const user = projectSandboxUser(env, config.sandbox.uidBase);
  const live = await findLiveAppDatabase(o.db, env.id);
  const causes = databaseCauses({
    appYml: settings.database === 'postgres',
    service: Boolean(o.databaseService),
    live: Boolean(live),
  });
  const server = o.appDatabases;
  if (live && !server) {
    // Starting it on an empty file store instead would split its data in two.
    return {
      ok: false,
      reason: `its database ${live.name} is on ${live.server}, but ${noServerReason(config)}`,
    };
  }
  if (causes.length && !server) {
    o.log.note(
      `⚠ ${askers(causes)}, but ${noServerReason(config)}. The app keeps its records in DATA_DIR (its file store).`,
    );
  }
  if (causes.length && server) {
    // Only because it has one: say so, or the app's database would seem to come from nowhere.
    if (live && causes.length === 1)
      o.log.note(
        `▣ The app keeps its database ${live.name} (DATABASE_URL): neither .orchard/app.yml (database: postgres) nor the project's database service asks for it any more, but its data is there, and Orchard never moves an app that has a database back to its file store.`,
      );
    try {
      const login = await ensureAppDatabase(
        { db: o.db, vault: o.vault, clock: o.clock ?? systemClock },
        server,
        env,
      );
      relay = await startDatabaseRelay({
        home: config.home,
        target: server.target,
        login: { user: login.name, database: login.name },
        owner: isRoot() ? user : undefined,
      });
      const url = `postgres://${login.name}:${encodeURIComponent(login.password)}@localhost:${RELAY_PORT}/${login.name}?host=${encodeURIComponent(relay.dir)}`;
      database.env = { DATABASE_URL: url };
      database.secretValues = [url, login.password];
      database.readOnly = [relay.socket];
    } catch (error) {
      await database.close();
      return { ok: false, reason: `its database could not be made ready: ${(error as Error).message}` };
    }
  }
  if (settings.migrate && o.deploying && release) {
    const short = release.sha.slice(0, 7);
    o.log.note(`▶ Migrating for release ${short}: ${settings.migrate}`);
    const started = Date.now();
    const failed = await runMigration({
      command: settings.migrate,
      workspace: release.path,
      dataDir: dataDir(config.home, env.slug, env.host_label),
      env: {
        ...app.env,
        ORCHARD_PROJECT: env.slug,
        ORCHARD_ENVIRONMENT: env.name,
        ORCHARD_RELEASE_ID: release.id,
        ORCHARD_COMMIT_SHA: release.sha,
        ...database.env,
      },
      secretValues: [...app.secretValues, ...database.secretValues],
      readOnly: database.readOnly,
      // The app's own sandbox, as launchRelease makes it.
      home: config.home,
      hidden: [config.home],
      user,
      network: env.host_network ? 'host' : 'private',
      allowUnsandboxed: config.sandbox.allowUnsandboxed,
      timeoutMs: o.appDatabases?.migrateTimeoutMs ?? config.appDatabases.migrateTimeoutMs,
      log: o.log,
      name: `migrate-${env.host_label}`,
      isolation: o.isolation,
    });
    if (failed) {
      await database.close();
      return { ok: false, reason: failed };
    }
    o.log.note(`✔ Migrated in ${Date.now() - started} ms`);
  }
  return { ok: true, database };
}
