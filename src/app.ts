import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetDefaults } from './budget-defaults.ts';
import { backupDir, type Config } from './config.ts';
import {
  type AgentSessionDeps,
  agentRoutes,
  agentsOnReviewEvent,
  registerAgentJobs,
  sessionBudgetGate,
} from './modules/agents/index.ts';
import {
  automationRoutes,
  type BrowserPool,
  blobArtifactStore,
  browserPoolFromConfig,
  registerAutomationJobs,
  registerTaskJobs,
} from './modules/automation/index.ts';
import {
  type BackUpDeps,
  backupRoutes,
  type HomeMovedListener,
  registerBackupJobs,
  startBackupSchedule,
} from './modules/backup/index.ts';
import {
  type AppDatabaseServer,
  appDatabasePasswordsStore,
  appDatabaseServer,
  createDeployRuntime,
  type DeployRuntime,
  deployRoutes,
  environmentAccessRoutes,
  environmentForRef,
  findEnvironment,
  findEnvironmentAtUrl,
  findEnvironmentByLabel,
  listLiveAppDatabaseNames,
  moveReleaseHome,
  previewsOnReviewEvent,
  registerDeployJobs,
  robotAccessCookies,
  targetsOf,
} from './modules/deploy/index.ts';
import { configureGit, gitRoutes, type PushListener } from './modules/git/index.ts';
import {
  bootstrapAdmin,
  createActorCache,
  createAuthenticator,
  createLastUseRecorder,
  delegateToken,
  identityRoutes,
  reloadActor,
  revokeSessionTokens,
} from './modules/identity/index.ts';
import {
  type CheckBudget,
  createLlmGateway,
  type LlmGateway,
  llmProxyRoutes,
  llmRoutes,
  llmSealedStores,
  startLlmGateway,
} from './modules/llm/index.ts';
import { MCP_PATH, mcpRoutes, orchardTools } from './modules/mcp/index.ts';
import {
  notificationRoutes,
  notificationsOnReviewEvent,
  notify,
  notifyBudgetReached,
  notifyBuildOutcome,
  notifyDeployed,
  notifySessionWaiting,
  registerNotificationJobs,
  registerNotifyJobs,
  relayRawEmail,
  smtpPasswordStore,
  webhookRoutes,
  webhookSecretsStore,
  webhooksOnPush,
  webhooksOnReviewEvent,
} from './modules/notify/index.ts';
import {
  type AlertListener,
  alertRoutes,
  appExceptionListener,
  createErrorReporting,
  createTelemetryIngest,
  type ErrorGroupView,
  type ErrorReporting,
  errorRoutes,
  ingestTokensStore,
  OTLP_PATH,
  orchardSpanProcessor,
  registerAlertJobs,
  startAlertEvaluator,
  startPartitionMaintenance,
  type TelemetryIngest,
  telemetryQueryRoutes,
} from './modules/observability/index.ts';
import {
  createDeepCheck,
  createWorkerPool,
  NonRetryableError,
  operationsRoutes,
  Registry,
  registerCanaryJobs,
  startOperationPruner,
  type WorkerPool,
} from './modules/operations/index.ts';
import {
  pipelineRoutes,
  pipelinesOnPush,
  pipelinesOnReviewEvent,
  registerPipelineJobs,
  startPipelineScheduler,
} from './modules/pipelines/index.ts';
import { agentProjects, groupMemberships, projectGate, projectRoutes } from './modules/projects/index.ts';
import { type ReviewListener, reviewRoutes, reviewsOnPush } from './modules/reviews/index.ts';
import {
  openKeyRing,
  projectSecretsStore,
  revealSecrets,
  type SealedStore,
  secretRoutes,
  Vault,
} from './modules/secrets/index.ts';
import {
  registerServiceJobs,
  ServicesRuntime,
  serviceCredentialsStore,
  serviceRoutes,
  signInRoutes,
} from './modules/services/index.ts';
import {
  classifyIssuesOnReviewEvent,
  designReferenceRoutes,
  projectOverviews,
  registerStudioJobs,
  releaseMainOnPass,
  studioRoutes,
  verificationRoutes,
  verifyMergeRequestsOnReview,
} from './modules/studio/index.ts';
import {
  createMachineWarnings,
  type MachineWarnings,
  probeDatabase,
  systemRoutes,
} from './modules/system/index.ts';
import {
  registerWorkflowJobs,
  startWorkflowScheduler,
  type WorkflowDeps,
  workflowRoutes,
  workflowsOnPush,
} from './modules/workflows/index.ts';
import { type BlobStore, FsBlobStore } from './platform/blobs/index.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { startEmbeddedPostgres } from './platform/db/embedded-postgres.ts';
import { ensureOwnerDatabase } from './platform/db/ensure-owner-database.ts';
import { migrate } from './platform/db/migrate.ts';
import { createPool, type Db, type Queryable, withDatabase } from './platform/db/pool.ts';
import { beforeAbort } from './platform/deadline.ts';
import { createEventBus, type EventBus } from './platform/events/index.ts';
import { createHttpServer, type HttpApp } from './platform/http/server.ts';
import { createStreamGuard } from './platform/http/stream-guard.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import { orchardVersion } from './platform/orchard-version.ts';
import type { Resources } from './platform/resources.ts';
import { startTracing, type Tracing } from './platform/tracing.ts';

/** Every column of values the vault seals, one store per owning module: what `orchard secrets rotate-key` re-seals. */
/** What records absolute paths under the home, moved when a backup is restored into another home. */
export const homeMovedListeners: HomeMovedListener[] = [moveReleaseHome];

export const sealedStores: SealedStore[] = [
  projectSecretsStore,
  ...llmSealedStores,
  webhookSecretsStore,
  smtpPasswordStore,
  ingestTokensStore,
  serviceCredentialsStore,
  appDatabasePasswordsStore,
];

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_ROOT = path.join(ROOT_DIR, 'dist', 'web');

/** Everything the modules share, built once by the composition root. */
export interface AppResources extends Resources {
  vault: Vault;
  /** Every LLM call goes through the gateway (providers, retries, fallback, budgets, records). */
  llm: LlmGateway;
  /** Workflow kinds and step handlers of every module (their jobs.ts). */
  registry: Registry;
  /** LISTEN/NOTIFY: one connection per process, opened on first use. */
  bus: EventBus;
  /** Artifacts (pipeline outputs): files under `<home>/blobs`. */
  blobs: BlobStore;
  /** Deployed apps: supervisor, host-based proxy, reconciler (started by `orchard up`). */
  deploy: DeployRuntime;
  /** The browser robot's Chromium (launched on first use). */
  browsers: BrowserPool;
  /** What this machine lacks (Chromium, bubblewrap, disk…), for /ready and the UI's banner. */
  machine: MachineWarnings;
  /** The OTLP ingest of the deployed apps' telemetry: its queue and writer, tokens, routes. */
  telemetry: TelemetryIngest;
  /** Error reporting: Orchard's own errors (instance scope) and, through its deps, the deployed apps'. */
  errors: ErrorReporting;
  /** Platform services apps attach: the SMTP relay and its mailbox, page-view counts, the launch hook. */
  services: ServicesRuntime;
  /**
   * Orchard's own HTTP base on this machine, as agent CLIs in the sandbox reach its LLM proxy
   * (default `http://127.0.0.1:<port>`); set it when the server listens elsewhere (or on port 0).
   */
  selfUrl?: string;
  /** A role that may create databases, when Orchard runs its own PostgreSQL. */
  adminDatabaseUrl?: string;
}

export interface Database {
  url: string;
  /** The embedded server's superuser (it may create databases: a backup's verification uses it). */
  adminUrl?: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** `DATABASE_URL` when configured, else Orchard's own PostgreSQL under `<home>/pg`. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  await mkdir(config.home, { recursive: true });
  const server = await startEmbeddedPostgres({
    dir: path.join(config.home, 'pg'),
    credentialsFile: path.join(config.home, 'db.credentials.json'),
    tcp: config.embeddedDatabase.tcp,
    logger,
  });
  try {
    // Orchard works as the database's owner, not as the superuser.
    await ensureOwnerDatabase(server.adminUrl, server.credentials.owner, 'orchard');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: server.urlFor(server.credentials.owner, 'orchard'),
    adminUrl: server.adminUrl,
    embedded: true,
    stop: () => server.stop(),
  };
}

export interface CreateResourcesOptions {
  logger?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  poolSize?: number;
  /** Default: from config (`otlpEndpoint`); tests pass one over an in-memory exporter. */
  tracing?: Tracing;
  /** The embedded server's superuser URL (a backup's verification makes its scratch database with it). */
  adminDatabaseUrl?: string;
}

export async function createResources(
  config: Config,
  databaseUrl: string,
  options: CreateResourcesOptions = {},
): Promise<AppResources> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  configureGit(config.git);
  const db: Db = createPool(databaseUrl, { max: options.poolSize ?? 20, timeouts: config.database });
  const vault = new Vault(await openKeyRing(config));
  const metrics = options.metrics ?? createMetrics();
  const clock = options.clock ?? systemClock;
  const telemetry = createTelemetryIngest({ db, vault, logger, clock, limits: config.telemetry });
  const tracing =
    options.tracing ??
    (await startTracing({
      endpoint: config.otlpEndpoint,
      logger,
      // Orchard's spans about an environment (deploy launches) are stored with its telemetry.
      localProcessors: config.telemetry.orchardSpans ? [orchardSpanProcessor(telemetry.writer, logger)] : [],
    }));
  const bus = createEventBus(databaseUrl, logger, { connectTimeoutMs: config.database.connectTimeoutMs });
  const services = new ServicesRuntime({
    db,
    clock,
    config,
    logger,
    vault,
    bus,
    environmentOfLabel: async (label) => {
      const env = await findEnvironmentByLabel(db, label);
      return env && { id: env.id, projectId: env.project_id };
    },
    // Production's mail, when the project opted in, goes on through Orchard's own SMTP server.
    relayOut: (mail) => relayRawEmail(res, mail),
    // The database service is the deploy module's per-environment databases (deploy/databases).
    databasesAvailable: () => res.deploy.deps.appDatabases !== undefined,
    origin: () => orchardBrowserOrigin(res),
    port: () => res.deploy.urls.listenPort ?? config.port,
    appUrl: (label) => res.deploy.urls.app(label),
  });
  const res: AppResources = {
    config,
    logger,
    db,
    databaseUrl,
    adminDatabaseUrl: options.adminDatabaseUrl,
    clock,
    metrics,
    tracing,
    vault,
    llm: startLlmGateway({ config, logger, db, vault, clock, metrics, tracing }),
    registry: new Registry(),
    bus,
    blobs: new FsBlobStore(path.join(config.home, 'blobs')),
    deploy: createDeployRuntime({
      config,
      logger,
      db,
      clock,
      vault,
      tracing,
      telemetryEnv: (env) =>
        telemetry.envFor(
          { environmentId: env.id, projectId: env.project_id },
          { baseUrl: telemetryBaseUrl(res, env.host_network), serviceName: env.slug },
        ),
      onDeployed: (deployed) => notifyDeployed(res, deployed),
      servicesEnv: (env) => services.envFor(env),
      pageView: services.pageViews.note,
      // Apps' databases: on the configured server, else on the embedded one; backups as blobs.
      appDatabases: appDatabaseServer(config, options.adminDatabaseUrl),
      blobs: new FsBlobStore(path.join(config.home, 'blobs')),
    }),
    telemetry,
    services,
    browsers: browserPoolFromConfig(config, { logger, metrics }),
    machine: createMachineWarnings({ config, db, logger }),
    // New error groups' listeners (notifications) go in `onNewErrorGroup`.
    // A new error group is news for the project's developers (Orchard's own: the admins).
    errors: createErrorReporting(
      { db, clock, logger },
      { onNewErrorGroup: [(group) => notifyNewErrorGroup(res, group)] },
    ),
  };
  // Deployed apps' exceptions (span events, exception log records) become error groups once stored.
  telemetry.listen(appExceptionListener(res.errors.deps));
  // Each module's workflow steps (jobs.ts) register here.
  registerCanaryJobs(res.registry);
  registerNotifyJobs(res.registry, res);
  registerNotificationJobs(res.registry, res);
  registerPipelineJobs(res.registry, withCommitPassed(res, changeListeners(res).onEvent));
  registerDeployJobs(res.registry, res.deploy);
  const automation = {
    config,
    pool: res.browsers,
    artifacts: blobArtifactStore(res.blobs, (id) => `/api/artifacts/${id}`),
    // Each task may reach the one environment it verifies: its host labels on the port Orchard
    // really listens on, and its app's direct port.
    environmentOf: async (url: string) => {
      const targets = { db, config, urls: res.deploy.urls };
      const env = await findEnvironmentAtUrl(targets, url);
      return env && { id: env.id, projectId: env.project_id, targets: targetsOf(targets, env) };
    },
    // …and gets in when it is private, as a member would.
    accessCookies: (url: string) => robotAccessCookies({ db, config, urls: res.deploy.urls, clock }, url),
    logger,
  };
  // Smoke suites' `act` steps share the tasks' action cache and planner.
  registerAutomationJobs(res.registry, { ...automation, planning: { db, llm: res.llm } });
  registerTaskJobs(res.registry, {
    ...automation,
    tasks: {
      db,
      llm: res.llm,
      secrets: async (projectId, names, protectedAllowed) => {
        const { values, withheld } = await revealSecrets(db, vault, projectId, names, { protectedAllowed });
        if (withheld.length)
          throw new NonRetryableError(`Protected secrets withheld: ${withheld.join(', ')}`);
        return values;
      },
    },
  });
  // Agents' branches are handled like pushes, so the Studio's steps get the same listeners.
  registerStudioJobs(res.registry, {
    ...res,
    ...changeListeners(res),
    onBuildOutcome: (tx, outcome) => notifyBuildOutcome(res, tx, outcome),
  });
  registerAgentJobs(res.registry, agentDeps(res));
  // Workflow files (`.orchard/workflows/*.yml`): their steps call the modules above.
  registerWorkflowJobs(res.registry, workflowDeps(res));
  // A service's integration is delivered as an agent's branch is: the same push and review listeners.
  registerServiceJobs(res.registry, { ...res, ...changeListeners(res) });
  registerAlertJobs(
    res.registry,
    { ...res, onAlertTransition: alertListeners(res) },
    { intervalMs: res.config.alerts.evaluateIntervalMs },
  );
  registerBackupJobs(res.registry, backupDeps(res), {
    dir: backupDir(res.config),
    keep: res.config.backup.keep,
    verify: res.config.backup.verify,
  });
  return res;
}

/** What a backup of this Orchard reads: its home and database, the keys, the config in force. */
function backupDeps(res: AppResources): BackUpDeps {
  return {
    home: res.config.home,
    databaseUrl: res.databaseUrl,
    db: res.db,
    vault: res.vault,
    sealedStores,
    orchardVersion: orchardVersion(),
    config: res.config,
    verifyDatabaseUrl: res.config.backup.verifyDatabaseUrl ?? res.adminDatabaseUrl ?? res.databaseUrl,
    appDatabases: appDatabaseSources(res.db, appDatabaseServer(res.config, res.adminDatabaseUrl)),
  };
}

/** The apps' own databases a backup holds: those ready on the server apps' databases go on. */
export function appDatabaseSources(db: Queryable, server: AppDatabaseServer | undefined) {
  return async () =>
    server
      ? (await listLiveAppDatabaseNames(db, server.name)).map((name) => ({
          name,
          url: withDatabase(server.adminUrl, name),
        }))
      : [];
}

/** What a CLI command that runs beside a server (not as one) gets from the composition root. */
export interface CliResources {
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /** The database DATABASE_URL names, migrated; absent without one. */
  db?: Db;
  vault?: Vault;
  /** From config alone, or with a database also API-added providers, `secret:` keys and call records. */
  llm: LlmGateway;
  close(): Promise<void>;
}

/**
 * The resources of a short CLI command such as `orchard llm ask`. With DATABASE_URL the database is
 * opened as every command opens it (`openDatabase`), on a small pool, and migrated, and the gateway
 * is backed by it and the vault. The embedded database is left alone: it belongs to the running
 * `orchard up`, so without DATABASE_URL the gateway works from config alone.
 */
export async function createCliResources(
  config: Config,
  options: { logger: Logger; clock?: Clock },
): Promise<CliResources> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics({ defaultMetrics: false });
  const database = config.databaseUrl ? await openDatabase(config, logger) : undefined;
  const db = database
    ? createPool(database.url, { max: 2, applicationName: 'orchard-cli', timeouts: config.database })
    : undefined;
  let vault: Vault | undefined;
  if (db) {
    try {
      await migrate(db);
      vault = new Vault(await openKeyRing(config));
    } catch (error) {
      await db.end().catch(() => undefined);
      throw error;
    }
  }
  const llm = createLlmGateway({
    config,
    logger,
    metrics,
    clock,
    ...(db ? { db } : {}),
    ...(vault ? { vault } : {}),
  });
  return {
    config,
    logger,
    clock,
    metrics,
    db,
    vault,
    llm,
    async close() {
      await llm.flush();
      await db?.end();
      await database?.stop();
    },
  };
}

/**
 * Orchard needs to own its tables, nothing more; a superuser connection turns any SQL injection or
 * leaked connection string into the whole server. The embedded database never does this.
 */
async function warnIfSuperuser(db: Db, logger: Logger) {
  const { rows } = await db.query<{ rolsuper: boolean; name: string }>(
    'SELECT rolsuper, current_user AS name FROM pg_roles WHERE rolname = current_user',
  );
  if (rows[0]?.rolsuper)
    logger.warn(
      { role: rows[0].name },
      'DATABASE_URL connects as a PostgreSQL superuser; give Orchard a role that owns its database and nothing more',
    );
}

/**
 * Orchard's base URL as a deployed app or a job reaches it: on the host network, this machine's
 * own port; in a private network namespace (no host loopback) only the public URL can work.
 */
/** Orchard's origin as browsers reach it: its public URL's, else localhost on the port it listens on. */
function orchardBrowserOrigin(res: AppResources): string {
  if (res.config.publicUrl) return new URL(res.config.publicUrl).origin;
  return `http://localhost:${res.deploy.urls.listenPort ?? res.config.port}`;
}

function telemetryBaseUrl(res: AppResources, hostNetwork: boolean): string {
  const self = res.selfUrl ?? `http://127.0.0.1:${res.config.port}`;
  return hostNetwork ? self : (res.config.publicUrl ?? self);
}

/** Pipeline jobs export with the token of the environment their ref belongs to (none: nothing). */
function pipelineTelemetryEnv(res: AppResources) {
  return async (job: { projectId: string; ref: string; serviceName: string }) => {
    const env = await environmentForRef(res.db, job.projectId, job.ref);
    if (!env) return {};
    return res.telemetry.envFor(
      { environmentId: env.id, projectId: env.project_id },
      { baseUrl: telemetryBaseUrl(res, env.host_network), serviceName: job.serviceName },
    );
  };
}

/**
 * Pushes and review events fan out to the modules that react to them (HTTP pushes, merges, agents).
 * `/agent` review comments start agent sessions, which deliver through these same listeners.
 */
function changeListeners(res: AppResources) {
  const onEvent: ReviewListener[] = [];
  onEvent.push(
    // The checks pipelines report are review events too (webhooks send them as `check_run`).
    pipelinesOnReviewEvent({ ...res, onEvent }),
    webhooksOnReviewEvent(res),
    // In-app and email notifications (merge requests, mentions, pipelines failing and fixed).
    notificationsOnReviewEvent(res),
    previewsOnReviewEvent(res),
    // After the preview's deploy has started (listeners run in order): the robot checks it.
    verifyMergeRequestsOnReview(res),
    // Issues are classified (new feature, change, bug fix, chore) as they are opened or edited.
    classifyIssuesOnReviewEvent(res),
  );
  const onPush: PushListener[] = [
    reviewsOnPush(res, onEvent),
    pipelinesOnPush(withCommitPassed(res, onEvent)),
    webhooksOnPush(res),
    // The default branch's workflow files: their `on: schedule`.
    workflowsOnPush(res),
  ];
  onEvent.push(agentsOnReviewEvent(agentDepsWith(res, { onEvent, onPush })));
  return { onEvent, onPush };
}

/**
 * A commit of main that passed its pipeline (or has none) is released on staging and verified; the
 * checks pipelines report reach the review listeners.
 */
function withCommitPassed(res: AppResources, onEvent: readonly ReviewListener[]) {
  return {
    ...res,
    onCommitPassed: [releaseMainOnPass(res)],
    onEvent,
    telemetryEnv: pipelineTelemetryEnv(res),
  };
}

/** What workflow steps call: pipelines (their checks reach the review listeners), agents, deploys, the robot. */
function workflowDeps(res: AppResources): WorkflowDeps {
  return { ...withCommitPassed(res, changeListeners(res).onEvent), agents: agentDeps(res) };
}

/** The pipeline and workflow schedules' ticks (pipelines' checks reach the review listeners too). */
export function startScheduler(res: AppResources) {
  const tickers = [
    startPipelineScheduler({ ...res, onEvent: changeListeners(res).onEvent }),
    startWorkflowScheduler(workflowDeps(res)),
  ];
  return { stop: async () => void (await Promise.all(tickers.map((t) => t.stop()))) };
}

/** Tells of an error never seen before: in an environment, its project's developers; in Orchard, the admins. */
async function notifyNewErrorGroup(res: AppResources, group: ErrorGroupView): Promise<void> {
  const env = group.environmentId ? await findEnvironment(res.db, group.environmentId) : undefined;
  await notify(res, undefined, {
    kind: 'error_group_new',
    ...(env ? { projectId: env.project_id } : {}),
    recipients: env
      ? { projectMembers: { projectId: env.project_id, minRole: 'developer' } }
      : { admins: true },
    title:
      `New error ${env ? `on ${env.slug} ${env.name}` : 'in Orchard'}: ${group.type}: ${group.message}`.slice(
        0,
        300,
      ),
    body: (group.lastStack ?? group.message).slice(0, 10_000),
    link: env
      ? `/projects/${encodeURIComponent(env.slug)}/environments/${encodeURIComponent(env.name)}/errors/${group.id}`
      : '/admin?tab=errors',
    dedupeKey: `error_group:${group.id}:new`,
  });
}

/** Who hears an environment's alert rule fire or resolve (not while it is silenced). */
function alertListeners(res: AppResources): AlertListener[] {
  return [
    (tx, { rule, state, value, environment, project }) =>
      notify(res, tx, {
        kind: state === 'firing' ? 'alert_fired' : 'alert_resolved',
        projectId: project.id,
        recipients: { projectMembers: { projectId: project.id, minRole: 'developer' } },
        title:
          `${rule.name} ${state === 'firing' ? 'is firing' : 'is resolved'} on ${environment.name}`.slice(
            0,
            300,
          ),
        body: `Last value: ${value ?? 'no data'} (threshold ${rule.threshold}).`,
        link: `/projects/${encodeURIComponent(project.slug)}/environments/${encodeURIComponent(environment.name)}/alerts`,
        // The transition's own time: each firing and each resolution notifies once.
        dedupeKey: `alert:${rule.id}:${state}:${rule.stateSince}`,
      }).then(() => undefined),
  ];
}

/** Scheduled backups (`backup.intervalHours`; none when 0): every process with workers ticks, one per slot. */
export function startBackups(res: AppResources): { stop(): Promise<void> } {
  const { intervalHours } = res.config.backup;
  if (!intervalHours) return { stop: async () => undefined };
  return startBackupSchedule(res, { intervalHours, dir: backupDir(res.config) });
}

/** The alert rules' schedule: every process with workers ticks; one `alerts.evaluate` per interval. */
export function startAlerts(res: AppResources) {
  return startAlertEvaluator(res, { intervalMs: res.config.alerts.evaluateIntervalMs });
}

/** What agent sessions get: the push and review listeners, and their identity and LLM endpoint. */
function agentDeps(res: AppResources): AgentSessionDeps {
  return agentDepsWith(res, changeListeners(res));
}

function agentDepsWith(
  res: AppResources,
  listeners: { onEvent: ReviewListener[]; onPush: PushListener[] },
): AgentSessionDeps {
  const { db, clock, config } = res;
  // CLI agents in the sandbox reach Orchard's LLM proxy on this machine's own port.
  const selfUrl = () => res.selfUrl ?? (config.port ? `http://127.0.0.1:${config.port}` : undefined);
  return {
    ...res,
    ...listeners,
    delegate: async ({ by, projectId, sessionId, expiresAt }) => {
      const delegated = await delegateToken(
        { db, clock, projects: agentProjects(db) },
        { delegatedBy: by, projectId, agentSessionId: sessionId, expiresAt },
      );
      return {
        token: delegated.token,
        tokenId: delegated.tokenId,
        principalId: delegated.principal.id,
        actor: delegated.actor,
      };
    },
    revokeDelegation: async (sessionId) => {
      await revokeSessionTokens(db, sessionId, { clock });
    },
    onSessionWaiting: (tx, news) => notifySessionWaiting(res, tx, news),
    llmEndpoint: (apiKey) => {
      const self = selfUrl();
      return self
        ? {
            anthropic: `${self}/llm/anthropic`,
            openai: `${self}/llm/openai/v1`,
            gemini: `${self}/llm/gemini`,
            apiKey,
          }
        : undefined;
    },
    // Orchard's own tools for the session, on the same listener as the LLM proxy.
    mcpEndpoint: (token) => {
      const self = selfUrl();
      return self ? { url: `${self}${MCP_PATH}`, token } : undefined;
    },
  };
}

export interface HttpOptions {
  webRoot?: string;
  /** The LLM proxy's budget gate (default: every request may spend). */
  checkLlmBudget?: CheckBudget;
}

/** The HTTP server with every module's routes. */
export async function createHttp(res: AppResources, options: HttpOptions = {}): Promise<HttpApp> {
  const { config, db } = res;
  const { onEvent, onPush } = changeListeners(res);
  const deepCheck = createDeepCheck(res);
  const credentials = {
    cache: createActorCache({
      bus: res.bus,
      logger: res.logger,
      ttlMs: config.access.cacheTtlMs,
      maxEntries: config.access.cacheMaxEntries,
    }),
    lastUse: createLastUseRecorder(db, res.logger),
  };
  const http = await createHttpServer({
    // Apps export telemetry many times a second: no request log line or span for each.
    quietPathPrefixes: [`${OTLP_PATH}/`],
    logger: res.logger,
    metrics: res.metrics,
    clock: res.clock,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    hsts: Boolean(config.publicUrl?.startsWith('https:')),
    authenticate: createAuthenticator(db, res.clock, credentials),
    projectAccess: projectGate(db),
    streamGuard: createStreamGuard({
      bus: res.bus,
      logger: res.logger,
      clock: res.clock,
      reload: (actor) => reloadActor(db, res.clock, actor),
      recheckMs: config.access.streamRecheckMs,
    }),
    readyTimeoutMs: config.readyTimeoutMs,
    readiness: async (request, signal) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      const late = `no answer within ${config.readyTimeoutMs} ms`;
      try {
        const { pending } = await beforeAbort(probeDatabase(db), signal, late);
        checks.database = { ok: true };
        checks.migrations = pending.length
          ? { ok: false, detail: `pending: ${pending.join(', ')}` }
          : { ok: true };
      } catch (error) {
        checks.database = { ok: false, detail: (error as Error).message };
      }
      // ?deep=1: a canary operation runs end to end on whichever worker picks it up. One still
      // running when the budget is spent goes on; the next probe gets its result (cached).
      if ((request.query as { deep?: string }).deep === '1' && checks.migrations?.ok) {
        checks.workers = await beforeAbort(
          deepCheck(),
          signal,
          `the canary did not finish within ${config.readyTimeoutMs} ms`,
        ).catch((error: Error) => ({ ok: false, detail: error.message }));
      }
      // What the machine lacks does not make Orchard unready; it is reported beside the checks.
      const warnings = res.machine.cached().map(({ id, status, summary }) => ({ id, status, summary }));
      return { ok: Object.values(checks).every((c) => c.ok), checks, warnings };
    },
    webRoot: options.webRoot ?? WEB_ROOT,
    // Apps' hosts first, then the sign-in provider's /oidc (both before the API's own routing).
    hostRouter: (req, reply) => res.deploy.hostRouter(req, reply) || res.services.signIn.handle(req, reply),
    tracing: res.tracing,
    // Every opaque 500 is an error group of Orchard's own (recorded in the background).
    onServerError: (error, request) =>
      res.errors.reporter.report(error, {
        'http.request.method': request.method,
        'http.route': request.routeOptions.url ?? '',
        'orchard.request_id': String(request.id),
      }),
    routes: [
      identityRoutes(res, {
        cache: credentials.cache,
        projects: agentProjects(db),
        budgets: budgetDefaults(),
        memberships: groupMemberships(),
      }),
      // The projects list shows each project's builds, environments and reviews: modules above it answer.
      projectRoutes(res, { overviews: projectOverviews(res) }),
      secretRoutes(res),
      gitRoutes(res, { onPush }),
      reviewRoutes(res, { onPush, onEvent }),
      mcpRoutes(
        { ...res, projectAccess: projectGate(db) },
        orchardTools(
          { ...res, onEvent },
          {
            onPush,
            onEvent,
            overviews: projectOverviews(res),
            agents: agentDepsWith(res, { onEvent, onPush }),
            cache: credentials.cache,
          },
        ),
      ),
      pipelineRoutes({ ...res, onEvent }),
      workflowRoutes(workflowDeps(res)),
      webhookRoutes(res),
      notificationRoutes(res),
      operationsRoutes(res),
      llmRoutes(res),
      llmProxyRoutes({
        ...res,
        credentials,
        checkBudget:
          options.checkLlmBudget ??
          sessionBudgetGate({ ...res, onBudgetReached: (reached) => notifyBudgetReached(res, reached) }),
      }),
      deployRoutes(res),
      // OTLP ingest (/otlp/v1/*): outside /api, its own token (the environment's ingest token).
      res.telemetry.routes(),
      environmentAccessRoutes(res),
      errorRoutes(res.errors.deps),
      alertRoutes({ db, clock: res.clock }),
      telemetryQueryRoutes({ db, clock: res.clock }),
      studioRoutes(res),
      designReferenceRoutes(res),
      verificationRoutes(res),
      agentRoutes(agentDeps(res)),
      automationRoutes(res),
      serviceRoutes({ ...res.services.deps, registry: res.registry }),
      signInRoutes({ db: res.db, clock: res.clock, signIn: res.services.signIn }),
      backupRoutes({
        dir: backupDir(res.config),
        intervalHours: res.config.backup.intervalHours,
        keep: res.config.backup.keep,
        verify: res.config.backup.verify,
      }),
      systemRoutes(res),
    ],
  });
  http.addHook('onClose', async () => {
    credentials.cache.close();
    await credentials.lastUse.close();
    await res.services.close();
  });
  res.deploy.attachServer(http.server);
  return http;
}

export interface RunningOrchard {
  url: string;
  resources: AppResources;
  http: HttpApp;
  database: Database;
  close(): Promise<void>;
}

/**
 * Starts Orchard: database (embedded or external), migrations, bootstrap admin, HTTP server.
 * `orchard up` and `orchard server` both come through here.
 */
export async function startOrchard(
  config: Config,
  options: { logger?: Logger; clock?: Clock; webRoot?: string } = {},
): Promise<RunningOrchard> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = await openDatabase(config, logger);
  let resources: AppResources | undefined;
  let listening: { close(): Promise<unknown> } | undefined;
  try {
    resources = await createResources(config, database.url, {
      logger,
      clock: options.clock,
      adminDatabaseUrl: database.adminUrl,
    });
    const applied = await migrate(resources.db);
    if (applied.length) logger.info({ applied }, 'applied migrations');
    await warnIfSuperuser(resources.db, logger);
    if (config.bootstrapToken)
      await bootstrapAdmin(resources.db, resources.clock, logger, config.bootstrapToken);
    const http = await createHttp(resources, { webRoot: options.webRoot });
    listening = http;
    await http.listen({ port: config.port, host: config.host });
    // Deployed apps' mail (the email service) comes in here; apps started from now on get its address.
    await resources.services.listen();
    // The deploy supervisor runs apps where the workers run: it opens its app relay (when
    // deploy.relay is set) and restores every environment now.
    if (config.workers.enabled) await resources.deploy.start({ bus: resources.bus });
    // Once at start (in the background): what is missing shows in the log, /ready and the UI.
    void resources.machine.refresh();
    // `orchard up` runs the workers in-process; `orchard server` leaves them to `orchard worker`.
    let workers: WorkerPool | undefined;
    if (config.workers.enabled) {
      workers = createWorkerPool({
        res: resources,
        registry: resources.registry,
        queues: config.workers.queues,
        concurrency: config.workers.concurrency,
        onStepFailed: resources.errors.onStepFailed,
      });
      await workers.start();
    }
    const scheduler = config.workers.enabled ? startScheduler(resources) : undefined;
    const alerts = config.workers.enabled ? startAlerts(resources) : undefined;
    const backups = config.workers.enabled ? startBackups(resources) : undefined;
    const pruner = config.workers.enabled
      ? startOperationPruner(resources, {
          retentionDays: config.operations.retentionDays,
          routineKinds: resources.registry.routineKinds(),
        })
      : undefined;
    const partitions = config.workers.enabled
      ? startPartitionMaintenance(resources, { retentionDays: config.telemetry.retentionDays })
      : undefined;
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    const res = resources;
    return {
      url,
      resources: res,
      http,
      database,
      async close() {
        // Their ticks under way end before the pool they use closes.
        await Promise.all([
          scheduler?.stop(),
          alerts?.stop(),
          backups?.stop(),
          pruner?.stop(),
          partitions?.stop(),
        ]);
        await workers?.stop();
        await res.deploy.stop();
        await res.browsers.close();
        await http.close();
        await res.telemetry.close();
        await res.bus.close();
        await res.llm.flush();
        await res.errors.reporter.flush();
        await res.tracing.shutdown();
        await res.db.end();
        await database.stop();
      },
    };
  } catch (error) {
    await resources?.deploy.stop().catch(() => undefined);
    await listening?.close().catch(() => undefined);
    await resources?.bus.close().catch(() => undefined);
    await resources?.db.end().catch(() => undefined);
    await database.stop().catch(() => undefined);
    throw error;
  }
}
