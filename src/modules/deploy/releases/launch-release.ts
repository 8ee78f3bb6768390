import { existsSync } from 'node:fs';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Isolation, SocketRoute } from '../../../platform/sandbox/index.ts';
import { traceEnv } from '../../../platform/tracing.ts';
import { projectSandboxUser } from '../../projects/index.ts';
import { revealSecrets, type Vault } from '../../secrets/index.ts';
import type { AppDatabaseServer } from '../databases/app-database-server.ts';
import { launchAppDatabase } from '../databases/launch-app-database.ts';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { dataDir } from '../paths.ts';
import type { AppLog } from '../serve/app-log.ts';
import { type AppProcess, startAppProcess } from '../serve/app-process.ts';
import { freePort } from '../serve/free-port.ts';
import { waitHealthy } from '../serve/health-check.ts';
import type { ReleaseRow } from './release-store.ts';
import { releaseSecretAccess, withheldNote } from './secret-access.ts';

export interface LaunchOptions {
  db: Db;
  config: Config;
  vault: Vault;
  env: EnvironmentWithSlug;
  release: ReleaseRow | undefined;
  log: AppLog;
  healthIntervalMs: number;
  isolation?: Isolation;
  /** Orchard's origins, passed to the app as ORCHARD_ORIGIN so it may let the Studio frame it. */
  orchardOrigins?: () => string;
  /** Called as soon as the process exists (so a stopping supervisor can kill it mid health check). */
  onStarted?(proc: AppProcess): void;
  /**
   * OTEL_* for the app: where it exports its telemetry, with its environment's ingest token (the
   * composition root asks the observability module). The app's own `env` in app.yml wins.
   */
  telemetryEnv?(env: EnvironmentWithSlug): Promise<Record<string, string>>;
  /**
   * The platform services the project attached (SMTP_*, …; the composition root asks the services
   * module), and the Unix sockets of Orchard's listeners the sandbox relays to on its own loopback.
   */
  servicesEnv?(env: EnvironmentWithSlug): Promise<ServicesEnv>;
  clock?: Clock;
  /** Where apps' databases go (none: an app that asks for one keeps its file store; see databases/). */
  appDatabases?: AppDatabaseServer;
  /** Answering a deploy, publish or rollback (not a restart): the release's `migrate` runs first. */
  deploying?: boolean;
}

/** What the attached platform services give an app at its start. */
export interface ServicesEnv {
  env: Record<string, string>;
  /** Values among `env` that are credentials: masked in the app's log. */
  secrets?: string[];
  relays?: SocketRoute[];
  /**
   * The project attached the database service: each environment gets a database of its own (as
   * `database: postgres` in app.yml does; see launchAppDatabase), whatever its app.yml says.
   */
  database?: boolean;
}

export type LaunchResult =
  | { ok: true; proc: AppProcess; ms: number }
  | { ok: false; reason: string; proc?: AppProcess };

/**
 * Starts a release of an environment on a free port (sandboxed, network on, DATA_DIR, secrets from
 * `.orchard/app.yml`) and waits until its health path answers 2xx. On failure the process is stopped.
 */
export async function launchRelease(o: LaunchOptions): Promise<LaunchResult> {
  const { release, env, config } = o;
  if (release?.status !== 'ready' || !release.settings || !existsSync(release.path)) {
    const what = release
      ? `is ${release.status === 'ready' ? 'missing its files' : release.status}`
      : 'does not exist';
    return { ok: false, reason: `the release ${what}; deploy its commit again` };
  }
  const settings = release.settings;
  let secrets: Record<string, string> = {};
  try {
    if (settings.secrets.length) {
      const access = await releaseSecretAccess(config.home, env.slug, release.sha, env.kind);
      const revealed = await revealSecrets(o.db, o.vault, env.project_id, settings.secrets, access);
      secrets = revealed.values;
      if (revealed.withheld.length) o.log.note(withheldNote(revealed.withheld, 'app', access.reason));
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/\.$/, '') };
  }
  // Telemetry is a convenience: an app starts without it rather than not at all.
  const telemetry = await (o.telemetryEnv?.(env) ?? Promise.resolve({})).catch((error: Error) => {
    o.log.note(`⚠ Telemetry is off for this start: ${error.message}`);
    return {} as Record<string, string>;
  });
  // So are services: the app starts without them, and says why.
  const none: ServicesEnv = { env: {} };
  const services = await (o.servicesEnv?.(env) ?? Promise.resolve(none)).catch(
    (error: Error): ServicesEnv => {
      o.log.note(`⚠ Platform services are off for this start: ${error.message}`);
      return { env: {} };
    },
  );
  // DATABASE_URL of its own database when app.yml or the database service asks for one, or it has
  // one already; at a deploy, its migration first.
  const data = await launchAppDatabase({ ...o, databaseService: services.database }, settings, {
    env: { ...settings.env, ...secrets },
    secretValues: Object.values(secrets),
  });
  if (!data.ok) return { ok: false, reason: data.reason };
  const port = await freePort();
  const short = release.sha.slice(0, 7);
  o.log.note(`▶ Starting release ${short} on port ${port}: ${settings.start}`);
  const proc = await startAppProcess({
    workspace: release.path,
    dataDir: dataDir(config.home, env.slug, env.host_label),
    home: config.home,
    hidden: [config.home],
    user: projectSandboxUser(env, config.sandbox.uidBase),
    network: env.host_network ? 'host' : 'private',
    allowUnsandboxed: config.sandbox.allowUnsandboxed,
    start: settings.start,
    port,
    env: {
      ...telemetry,
      ...services.env,
      ...settings.env,
      ORCHARD_PROJECT: env.slug,
      ORCHARD_ENVIRONMENT: env.name,
      ORCHARD_RELEASE_ID: release.id,
      ORCHARD_COMMIT_SHA: release.sha,
      ...(o.orchardOrigins ? { ORCHARD_ORIGIN: o.orchardOrigins() } : {}),
      ...secrets,
      ...data.database.env,
      // The launch's span (see the supervisor): what the app traces at start joins the deploy's trace.
      ...traceEnv(),
    },
    secretValues: [...Object.values(secrets), ...(services.secrets ?? []), ...data.database.secretValues],
    readOnly: data.database.readOnly,
    relays: services.relays,
    releaseId: release.id,
    log: o.log,
    name: `app-${env.host_label}-${port}`,
    isolation: o.isolation,
  }).catch(async (error: Error) => {
    await data.database.close();
    throw error;
  });
  o.onStarted?.(proc);
  // Its database relay lives as long as the process.
  void proc.exited.then(() => data.database.close());
  const health = await waitHealthy(proc, {
    path: settings.healthPath,
    timeoutMs: config.deploy.healthTimeoutMs,
    intervalMs: o.healthIntervalMs,
  });
  if (!health.ok) {
    await proc.stop();
    return { ok: false, reason: health.reason, proc };
  }
  proc.healthyAt = new Date();
  return { ok: true, proc, ms: health.ms };
}
