import type { Config } from '../../../config.ts';

/** Where Orchard's relay connects for an app: the server's Unix socket, or its TCP address. */
export type RelayTarget = { path: string } | { host: string; port: number };

/** The PostgreSQL server apps' databases go on, as Orchard reaches it. */
export interface AppDatabaseServer {
  /** A role that may create roles and databases there (it holds a password: never shown). */
  adminUrl: string;
  /** How records name it: `embedded`, or the host:port (socket directory) of the configured server. */
  name: string;
  target: RelayTarget;
  /** Backups of an environment's database kept (taken before each publish to production). */
  keepBackups: number;
  migrateTimeoutMs: number;
}

/** Where a postgres:// URL points: `?host=/dir` (a socket) or its host and port. */
export function relayTarget(url: string): RelayTarget {
  const u = new URL(url);
  const host = u.searchParams.get('host') || decodeURIComponent(u.hostname) || 'localhost';
  const port = Number(u.searchParams.get('port') || u.port || 5432);
  return host.startsWith('/') ? { path: `${host.replace(/\/+$/, '')}/.s.PGSQL.${port}` } : { host, port };
}

/**
 * The server for apps' databases: `appDatabases.serverUrl` when set, else the embedded server's
 * superuser (Orchard's own PostgreSQL); none when Orchard runs on DATABASE_URL without one, or
 * when apps' databases are turned off.
 */
export function appDatabaseServer(config: Config, embeddedAdminUrl?: string): AppDatabaseServer | undefined {
  const { enabled, serverUrl, keepBackups, migrateTimeoutMs } = config.appDatabases;
  const adminUrl = serverUrl ?? embeddedAdminUrl;
  if (!enabled || !adminUrl) return undefined;
  const target = relayTarget(adminUrl);
  const where =
    'path' in target ? target.path.replace(/\/\.s\.PGSQL\.\d+$/, '') : `${target.host}:${target.port}`;
  return { adminUrl, name: serverUrl ? where : 'embedded', target, keepBackups, migrateTimeoutMs };
}

/** Why an app that asks for a database gets none here, and what to set. */
export function noServerReason(config: Config): string {
  if (!config.appDatabases.enabled) return 'apps’ databases are turned off (appDatabases.enabled)';
  return 'Orchard runs on an external PostgreSQL (DATABASE_URL) and no server for apps’ databases is configured: set appDatabases.serverUrl (ORCHARD_APP_DATABASES_SERVER_URL) to a role that may create roles and databases';
}
