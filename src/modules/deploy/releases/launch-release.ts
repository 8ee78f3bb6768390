import { existsSync } from 'node:fs';
import type { Config } from '../../../config.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Isolation } from '../../../platform/sandbox/index.ts';
import { traceEnv } from '../../../platform/tracing.ts';
import { projectSandboxUser } from '../../projects/index.ts';
import { revealSecrets, type Vault } from '../../secrets/index.ts';
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
      ...settings.env,
      ORCHARD_PROJECT: env.slug,
      ORCHARD_ENVIRONMENT: env.name,
      ORCHARD_RELEASE_ID: release.id,
      ORCHARD_COMMIT_SHA: release.sha,
      ...(o.orchardOrigins ? { ORCHARD_ORIGIN: o.orchardOrigins() } : {}),
      ...secrets,
      // The launch's span (see the supervisor): what the app traces at start joins the deploy's trace.
      ...traceEnv(),
    },
    secretValues: Object.values(secrets),
    releaseId: release.id,
    log: o.log,
    name: `app-${env.host_label}-${port}`,
    isolation: o.isolation,
  });
  o.onStarted?.(proc);
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
