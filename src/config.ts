import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { parseHostPort } from './platform/net/host-port.ts';

/**
 * The one configuration schema. It is read once at boot from (lowest to highest precedence):
 * an optional `orchard.config.yaml|json` (or `--config` / `ORCHARD_CONFIG`), the environment,
 * and CLI flags. Nothing else in Orchard reads `process.env`.
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
/** `host:port` (a name, an IPv4 or a bracketed IPv6 address), as `{ host, port }`. */
const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, such as 0.0.0.0:7400')
  .transform(parseHostPort)
  .refine((a) => a.port <= 65535, 'the port must be at most 65535');
const nonNegativeInt = z.coerce.number().int().min(0);
const bool = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v.toLowerCase())) return false;
  return v;
}, z.boolean());
const list = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string()),
);

const masterKeyText = z
  .string()
  .regex(/^[A-Za-z0-9+/=_-]{43,}$/, 'must be 32 random bytes, base64 encoded (openssl rand -base64 32)');

export const LlmModelConfig = z.object({
  id: z.string().min(1),
  input: z.number().nonnegative().default(0),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative().default(0),
  /** Whether the model accepts a trailing assistant message as prefill (used to resume streams). */
  prefill: z.boolean().optional(),
  contextWindow: z.number().int().positive().optional(),
});

export const LlmProviderConfig = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'use letters, digits, "-" and "_"'),
  kind: z.enum(['anthropic', 'gemini', 'openai-compatible']),
  baseUrl: z.url(),
  apiKey: z.string().optional(),
  models: z.array(LlmModelConfig).default([]),
});

/** A project role an OIDC group grants (the projects module's roles). */
const ProjectRoleName = z.enum(['viewer', 'developer', 'maintainer', 'owner']);
const projectSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'must be a project slug (lowercase letters, digits, "-")');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An OpenID Connect issuer people may sign in with (docs/identity.md, "Single sign-on"). The client
 * secret is a literal or `env:NAME`, read at boot; it is never returned by the API nor logged.
 */
export const OidcProviderConfig = z.object({
  /** In URLs (`/api/auth/oidc/<name>/callback`) and in the link between an account and its subject. */
  name: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'use 1–32 lowercase letters, digits and "-"'),
  /** On the login page: "Sign in with <displayName>". */
  displayName: z.string().trim().min(1).max(60),
  /** Discovery reads `<issuer>/.well-known/openid-configuration`; https, or http on this machine only. */
  issuer: z.url().refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be an https:// URL (http:// only for localhost, 127.0.0.1 or [::1])'),
  clientId: z.string().min(1).max(500),
  /** Absent: a public client (PKCE only, no client authentication). */
  clientSecret: z.string().min(1).max(2000).optional(),
  /** How the client secret is sent to the token endpoint. */
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post'])
    .default('client_secret_basic'),
  scopes: list
    .pipe(z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token')).max(20))
    .default(['openid', 'email', 'profile'])
    .refine((scopes) => scopes.includes('openid'), 'must include openid'),
  /** A first sign-in of someone without an account creates one (a member, unless a group says admin). */
  allowSignUp: bool.default(true),
  /** A first sign-in whose verified email (`email_verified: true`) is an account's links to that account. */
  linkByEmail: bool.default(false),
  /** The claim (ID token or UserInfo) that lists the person's groups. */
  groupsClaim: z.string().min(1).max(100).default('groups'),
  /** Holding any of these makes the person an instance admin, and holding none a member (re-synced at each sign-in); empty: the role is left alone. */
  adminGroups: list.pipe(z.array(z.string().min(1).max(200)).max(100)).default([]),
  /** Group → project role; the projects named here follow the groups at each sign-in. */
  projectRoles: z
    .array(z.object({ group: z.string().min(1).max(200), project: projectSlug, role: ProjectRoleName }))
    .max(500)
    .default([]),
});
export type OidcProviderConfig = z.infer<typeof OidcProviderConfig>;

export const Config = z.object({
  home: z.string().min(1).default('./.orchard'),
  host: z.string().min(1).default('localhost'),
  port: port.default(7300),
  publicUrl: z.url().optional(),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  bootstrapToken: z
    .string()
    .regex(/^orch_[A-Za-z0-9_-]{20,}$/, 'must look like orch_ followed by at least 20 letters/digits')
    .optional(),
  masterKey: masterKeyText.optional(),
  /** Keys values may still be opened with, never sealed with: the next key, or the previous one until retired. */
  otherMasterKeys: list.pipe(z.array(masterKeyText)).default([]),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logPretty: bool.default(false),
  bodyLimitBytes: positiveInt.default(1024 * 1024),
  sessionTtlHours: positiveInt.default(24 * 7),
  secureCookies: bool.default(false),
  rateLimit: z
    .object({
      ipPerMinute: positiveInt.default(600),
      tokenPerMinute: positiveInt.default(1200),
      loginPerMinute: positiveInt.default(20),
    })
    .prefault({}),
  trustProxy: bool.default(false),
  /** How lost access takes effect beyond the notices every process gets at once (LISTEN/NOTIFY). */
  access: z
    .object({
      /**
       * Authenticated tokens and sessions are remembered this long; changes reach every process's
       * cache at once over NOTIFY, so this only bounds a lost notice (0: nothing is cached).
       */
      cacheTtlMs: z.coerce.number().int().min(0).max(300_000).default(10_000),
      cacheMaxEntries: positiveInt.default(10_000),
      /** Open event streams re-check their opener's access this often, in case a notice was lost. */
      streamRecheckMs: positiveInt.default(60_000),
    })
    .prefault({}),
  workers: z
    .object({
      enabled: bool.default(true),
      queues: list.default([]),
      concurrency: positiveInt.default(4),
      leaseMs: positiveInt.default(30_000),
      heartbeatMs: positiveInt.default(10_000),
      pollMs: positiveInt.default(1_000),
      /** Work a worker claims ahead, in milliseconds of its recent step durations (0: never). */
      prefetchMs: z.coerce.number().int().min(0).max(10_000).default(50),
    })
    .prefault({}),
  operations: z
    .object({
      /** Finished operations older than this many days are deleted with their steps and events (0: kept). */
      retentionDays: z.coerce.number().int().min(0).max(36_500).default(0),
    })
    .prefault({}),
  alerts: z
    .object({
      /** How often the environments' alert rules are evaluated (every process ticks; each rule runs once). */
      evaluateIntervalMs: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    })
    .prefault({}),
  telemetry: z
    .object({
      /** Day partitions of spans, logs and metric points older than this many days are dropped. */
      retentionDays: z.coerce.number().int().min(1).max(3_650).default(7),
      /** Records accepted but not yet written; past it the ingest answers 429 with Retry-After. */
      queueMaxRecords: positiveInt.default(100_000),
      /** Largest OTLP request body, after gunzip (413 past it). */
      bodyLimitBytes: positiveInt.default(16 * 1024 * 1024),
      /** Connections writing telemetry at once. */
      writers: z.coerce.number().int().min(1).max(16).default(2),
      /** Orchard's own spans about an environment (deploy launches) are stored with its telemetry. */
      orchardSpans: bool.default(true),
    })
    .prefault({}),
  allowPrivateWebhookTargets: bool.default(false),
  /**
   * Email notifications over SMTP (admins may override these in the admin panel). `password` is a
   * literal or `env:NAME`, read at boot; it is never returned by the API nor logged.
   */
  smtp: z
    .object({
      host: z.string().min(1).max(255),
      port: port.default(587),
      /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
      secure: bool.default(false),
      user: z.string().min(1).max(255).optional(),
      password: z.string().min(1).max(1000).optional(),
      from: z.string().min(3).max(320),
    })
    .optional(),
  /** Platform services apps attach (docs/services.md): the email relay's SMTP listener and dev mailbox. */
  services: z
    .object({
      smtp: z
        .object({
          enabled: bool.default(true),
          /** Apps on the host network reach it here; sandboxed apps through a relay to a Unix socket. */
          host: z.string().min(1).default('127.0.0.1'),
          /** 0: any free port; a taken port falls back to a free one (with a warning). */
          port: port.default(2525),
          maxMessageBytes: positiveInt.default(10 * 1024 * 1024),
          /** The newest messages kept per environment's mailbox. */
          keepPerEnvironment: positiveInt.default(1_000),
        })
        .prefault({}),
    })
    .prefault({}),
  llm: z
    .object({
      providers: z.array(LlmProviderConfig).default([]),
      aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
      /** Per attempt: until response headers, until the first content chunk, and between chunks (stall). */
      timeouts: z
        .object({
          connectMs: positiveInt.default(10_000),
          firstTokenMs: positiveInt.default(60_000),
          idleMs: positiveInt.default(30_000),
        })
        .prefault({}),
      /** Attempts per model (first try included) before falling back; full-jitter backoff, capped. */
      retry: z
        .object({
          maxAttempts: positiveInt.default(3),
          baseDelayMs: positiveInt.default(500),
          maxDelayMs: positiveInt.default(8_000),
          maxRetryAfterMs: positiveInt.default(30_000),
        })
        .prefault({}),
      /** A provider's circuit opens after this many failures in a row and probes again after the cooldown. */
      breaker: z
        .object({ failureThreshold: positiveInt.default(5), cooldownMs: positiveInt.default(30_000) })
        .prefault({}),
    })
    .prefault({}),
  /** Deployed apps: releases kept per project, preview TTL, health-gated swap timings, app host domain. */
  deploy: z
    .object({
      keepReleases: positiveInt.default(5),
      previewTtlHours: positiveInt.default(72),
      healthTimeoutMs: positiveInt.default(30_000),
      drainTimeoutMs: positiveInt.default(10_000),
      /**
       * An app with no request for this long sleeps: its process stops (freeing its memory and
       * database connections) and the next request starts it again, waiting the start out. Per kind
       * of environment; 0 keeps it running.
       */
      sleepAfterIdleMs: z
        .object({
          preview: nonNegativeInt.default(15 * 60_000),
          staging: nonNegativeInt.default(15 * 60_000),
          production: nonNegativeInt.default(0),
        })
        .prefault({}),
      /** Apps answer at `<env>--<slug>.<domain>`. */
      domain: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'must be a DNS name such as localhost or apps.example.com')
        .default('localhost'),
      /**
       * New staging and preview environments answer only to the project's members and share links
       * (production is always created public); each can be switched later.
       */
      privateByDefault: bool.default(true),
      /** The container image `deploy render --target k8s` uses; `{slug}`, `{sha}`, `{shortSha}` are filled in. */
      image: z.string().min(1).default('orchard-app:{slug}-{sha}'),
      /**
       * The app relay, for Orchard on several machines: a process that runs apps listens here, and
       * servers elsewhere send those apps' traffic to it (docs/runbooks/scale-out.md). Off when unset:
       * every server then reaches apps on its own loopback (one machine).
       */
      relay: z
        .object({
          /** `host:port` to listen on, e.g. `0.0.0.0:7400`. */
          listen: hostPort.optional(),
          /** `host:port` other Orchard processes reach it at (a pod's IP); default: `listen`'s. */
          advertise: hostPort.optional(),
        })
        .prefault({})
        .refine((r) => !r.listen || r.advertise || !WILDCARD_HOSTS.has(r.listen.host), {
          message:
            'deploy.relay.advertise is needed when the relay listens on every address: the host:port other Orchard processes reach this one at (ORCHARD_DEPLOY_RELAY_ADVERTISE, e.g. the pod IP)',
        }),
    })
    .prefault({}),
  /** The browser robot: Chromium, its recycling and concurrency, and where it may go besides Orchard's apps. */
  automation: z
    .object({
      chromiumPath: z.string().min(1).optional(),
      /** A browser is replaced after this many tasks. */
      recycleAfter: positiveInt.default(50),
      /** Browser contexts at once per worker process (on 2 cores parallel contexts are no faster). */
      maxConcurrency: z.coerce.number().int().min(1).max(8).default(2),
      /** Hosts besides Orchard's own deployments: `example.com`, `*.example.com`, optionally `:port`. */
      allowHosts: list.default([]),
      /** Lets allow-listed hosts resolve to private addresses (cloud metadata addresses stay refused). */
      allowPrivate: bool.default(false),
    })
    .prefault({}),
  /** Design references of Blueprints: image uploads and page captures (the browser and URL guard are automation's). */
  designReferences: z
    .object({
      /** The largest image upload accepted (a larger one is a 413 that says so). */
      maxImageBytes: positiveInt.default(10 * 1024 * 1024),
      /** A page capture (load, settle, measure, screenshot) gives up after this long (a 422). */
      captureTimeoutMs: positiveInt.default(45_000),
    })
    .prefault({}),
  /** OpenTelemetry traces are exported here (OTLP/HTTP) when set. */
  otlpEndpoint: z.url().optional(),
  /** Orchard's own PostgreSQL (without DATABASE_URL): a Unix socket only, unless `tcp` also opens 127.0.0.1. */
  embeddedDatabase: z.object({ tcp: bool.default(false) }).prefault({}),
  /**
   * PostgreSQL databases for deployed apps whose `.orchard/app.yml` says `database: postgres` or
   * whose project attached the database service (docs/deploy.md, "Databases for apps"): one
   * database and role per environment.
   */
  appDatabases: z
    .object({
      /** Off: apps that ask for a database keep their file store. */
      enabled: bool.default(true),
      /**
       * A role that may create roles and databases on the server apps' databases go on (Orchard
       * relays each app to it). Default: the embedded server; with DATABASE_URL, none until set.
       */
      serverUrl: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
      /** Backups of production's database kept (one is taken before each publish). */
      keepBackups: positiveInt.default(5),
      /** A release's `migrate` command gives up (and fails its deploy) after this long. */
      migrateTimeoutMs: positiveInt.default(300_000),
    })
    .prefault({}),
  /** How pipeline jobs, builds and deployed apps are isolated. */
  sandbox: z
    .object({
      /**
       * Without bubblewrap, jobs and apps are refused; this lets them run as plain processes with
       * full access to the machine (a warning shows in /ready and the UI).
       */
      allowUnsandboxed: bool.default(false),
      /**
       * When Orchard runs as root, a project's jobs and apps run as uid/gid `uidBase + n`, n being
       * the project's own number: never root, and never another project's user.
       */
      uidBase: z.coerce
        .number()
        .int()
        .min(1000)
        .max(2 ** 31 - 2 ** 24)
        .default(1_500_000_000),
    })
    .prefault({}),
  /** How people sign in besides passwords and passkeys. */
  auth: z
    .object({
      oidc: z
        .object({
          providers: z
            .preprocess(
              (v, ctx) => (typeof v === 'string' ? parseJsonList(v, ctx) : v),
              z.array(OidcProviderConfig),
            )
            .default([])
            .refine(
              (providers) => new Set(providers.map((p) => p.name)).size === providers.length,
              'each provider needs a name of its own',
            ),
        })
        .prefault({}),
    })
    .prefault({}),
  /** CLI client commands (`orchard ops …`): the Orchard to talk to, and the API token to use. */
  url: z.url().default('http://localhost:7300'),
  token: z.string().min(1).optional(),

  // ── Timeouts: how long Orchard waits on PostgreSQL and on git before it gives up ──
  /** PostgreSQL, for the pool every request, worker and the scheduler share (0: no limit). */
  database: z
    .object({
      /** Opening a connection, or waiting for a free one in the pool. */
      connectTimeoutMs: positiveInt.default(5_000),
      /** Server side: a statement running longer is cancelled. */
      statementTimeoutMs: nonNegativeInt.default(30_000),
      /**
       * Server side: a statement waiting longer for a lock fails. Off by default: the operations
       * engine's stream locks are waited for by design, and statementTimeoutMs bounds them.
       */
      lockTimeoutMs: nonNegativeInt.default(0),
      /** Server side: a transaction left idle this long is ended, so it cannot hold locks forever. */
      idleInTransactionTimeoutMs: nonNegativeInt.default(60_000),
      /**
       * Client side: no answer this long (a frozen or unreachable server, which server-side limits
       * cannot catch) fails the query and drops its connection. Keep it above statementTimeoutMs.
       */
      queryTimeoutMs: nonNegativeInt.default(35_000),
    })
    .prefault({})
    .refine((d) => !d.queryTimeoutMs || !d.statementTimeoutMs || d.queryTimeoutMs > d.statementTimeoutMs, {
      message: 'queryTimeoutMs must be above statementTimeoutMs (or 0)',
      path: ['queryTimeoutMs'],
    }),
  /** Backups (`orchard backup`, and on a schedule where workers run): docs/runbooks/backup-and-restore.md. */
  backup: z
    .object({
      /** Where archives go (default `<home>/backups`). */
      dir: z.string().min(1).optional(),
      /** A scheduled backup every this many hours (0: none; `orchard backup` works either way). */
      intervalHours: z.coerce
        .number()
        .int()
        .min(0)
        .max(24 * 365)
        .default(0),
      /** Archives kept in `dir`; older ones are deleted after a new one is verified. */
      keep: z.coerce.number().int().min(1).max(10_000).default(7),
      /** Each archive is restored into a scratch database and checked before it counts. */
      verify: bool.default(true),
      /**
       * A role that may create (and drop) the scratch database; default: the embedded server's
       * superuser, else DATABASE_URL's role.
       */
      verifyDatabaseUrl: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    })
    .prefault({}),
  /** `/ready` answers within this budget (+0.2 s): a check that has not answered by then counts as failed. */
  readyTimeoutMs: z.coerce.number().int().min(100).max(1_800).default(1_500),
  git: z
    .object({
      /** A local git command (read a file, merge, add a worktree) running longer is killed. */
      timeoutMs: positiveInt.default(120_000),
      /** Smart HTTP (clone, fetch, push): git is killed when no bytes flow either way this long. */
      transferIdleMs: positiveInt.default(60_000),
      /** Secret scanning reads at most this much of a push's changes; a bigger push is refused (fail closed). */
      secretScanMaxBytes: positiveInt.default(64 * 1024 * 1024),
      /** Git LFS: the largest object the batch API accepts for upload (a bigger one is a per-object 422). */
      lfsMaxObjectBytes: positiveInt.default(5 * 1024 * 1024 * 1024),
    })
    .prefault({}),
});
export type Config = z.infer<typeof Config>;

/** Environment variables Orchard understands, and the config key each one sets. */
export const ENV_KEYS: Record<string, string> = {
  ORCHARD_HOME: 'home',
  ORCHARD_HOST: 'host',
  ORCHARD_PORT: 'port',
  ORCHARD_PUBLIC_URL: 'publicUrl',
  DATABASE_URL: 'databaseUrl',
  ORCHARD_DATABASE_URL: 'databaseUrl',
  ORCHARD_BOOTSTRAP_TOKEN: 'bootstrapToken',
  ORCHARD_MASTER_KEY: 'masterKey',
  ORCHARD_OTHER_MASTER_KEYS: 'otherMasterKeys',
  ORCHARD_LOG_LEVEL: 'logLevel',
  ORCHARD_LOG_PRETTY: 'logPretty',
  ORCHARD_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  ORCHARD_SESSION_TTL_HOURS: 'sessionTtlHours',
  ORCHARD_SECURE_COOKIES: 'secureCookies',
  ORCHARD_RATE_LIMIT_IP_PER_MINUTE: 'rateLimit.ipPerMinute',
  ORCHARD_RATE_LIMIT_TOKEN_PER_MINUTE: 'rateLimit.tokenPerMinute',
  ORCHARD_RATE_LIMIT_LOGIN_PER_MINUTE: 'rateLimit.loginPerMinute',
  ORCHARD_TRUST_PROXY: 'trustProxy',
  ORCHARD_STREAM_RECHECK_MS: 'access.streamRecheckMs',
  ORCHARD_AUTH_CACHE_TTL_MS: 'access.cacheTtlMs',
  ORCHARD_AUTH_CACHE_MAX_ENTRIES: 'access.cacheMaxEntries',
  ORCHARD_WORKERS: 'workers.enabled',
  ORCHARD_WORKER_QUEUES: 'workers.queues',
  ORCHARD_WORKER_CONCURRENCY: 'workers.concurrency',
  ORCHARD_LEASE_MS: 'workers.leaseMs',
  ORCHARD_HEARTBEAT_MS: 'workers.heartbeatMs',
  ORCHARD_ALLOW_PRIVATE_WEBHOOK_TARGETS: 'allowPrivateWebhookTargets',
  ORCHARD_SMTP_HOST: 'smtp.host',
  ORCHARD_SMTP_PORT: 'smtp.port',
  ORCHARD_SMTP_SECURE: 'smtp.secure',
  ORCHARD_SMTP_USER: 'smtp.user',
  ORCHARD_SMTP_PASSWORD: 'smtp.password',
  ORCHARD_SMTP_FROM: 'smtp.from',
  ORCHARD_SERVICES_SMTP_ENABLED: 'services.smtp.enabled',
  ORCHARD_SERVICES_SMTP_PORT: 'services.smtp.port',
  ORCHARD_LLM_CONNECT_TIMEOUT_MS: 'llm.timeouts.connectMs',
  ORCHARD_LLM_FIRST_TOKEN_TIMEOUT_MS: 'llm.timeouts.firstTokenMs',
  ORCHARD_LLM_IDLE_TIMEOUT_MS: 'llm.timeouts.idleMs',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'otlpEndpoint',
  ORCHARD_CHROMIUM_PATH: 'automation.chromiumPath',
  ORCHARD_AUTOMATION_ALLOW_HOSTS: 'automation.allowHosts',
  ORCHARD_AUTOMATION_ALLOW_PRIVATE: 'automation.allowPrivate',
  ORCHARD_REFERENCE_MAX_IMAGE_BYTES: 'designReferences.maxImageBytes',
  ORCHARD_REFERENCE_CAPTURE_TIMEOUT_MS: 'designReferences.captureTimeoutMs',
  ORCHARD_DEPLOY_KEEP_RELEASES: 'deploy.keepReleases',
  ORCHARD_DEPLOY_PREVIEW_TTL_HOURS: 'deploy.previewTtlHours',
  ORCHARD_DEPLOY_HEALTH_TIMEOUT_MS: 'deploy.healthTimeoutMs',
  ORCHARD_DEPLOY_DRAIN_TIMEOUT_MS: 'deploy.drainTimeoutMs',
  ORCHARD_DEPLOY_PREVIEW_SLEEP_MS: 'deploy.sleepAfterIdleMs.preview',
  ORCHARD_DEPLOY_STAGING_SLEEP_MS: 'deploy.sleepAfterIdleMs.staging',
  ORCHARD_DEPLOY_PRODUCTION_SLEEP_MS: 'deploy.sleepAfterIdleMs.production',
  ORCHARD_DEPLOY_DOMAIN: 'deploy.domain',
  ORCHARD_DEPLOY_PRIVATE_BY_DEFAULT: 'deploy.privateByDefault',
  ORCHARD_DEPLOY_IMAGE: 'deploy.image',
  ORCHARD_DEPLOY_RELAY_LISTEN: 'deploy.relay.listen',
  ORCHARD_DEPLOY_RELAY_ADVERTISE: 'deploy.relay.advertise',
  ORCHARD_OIDC_PROVIDERS: 'auth.oidc.providers',
  ORCHARD_URL: 'url',
  ORCHARD_TOKEN: 'token',
  ORCHARD_POLL_MS: 'workers.pollMs',
  ORCHARD_PREFETCH_MS: 'workers.prefetchMs',
  ORCHARD_OPERATIONS_RETENTION_DAYS: 'operations.retentionDays',
  ORCHARD_ALERTS_EVALUATE_INTERVAL_MS: 'alerts.evaluateIntervalMs',
  ORCHARD_TELEMETRY_RETENTION_DAYS: 'telemetry.retentionDays',
  ORCHARD_TELEMETRY_QUEUE_MAX_RECORDS: 'telemetry.queueMaxRecords',
  ORCHARD_EMBEDDED_DB_TCP: 'embeddedDatabase.tcp',
  ORCHARD_APP_DATABASES_ENABLED: 'appDatabases.enabled',
  ORCHARD_APP_DATABASES_SERVER_URL: 'appDatabases.serverUrl',
  ORCHARD_APP_DATABASES_KEEP_BACKUPS: 'appDatabases.keepBackups',
  ORCHARD_SANDBOX_ALLOW_UNSANDBOXED: 'sandbox.allowUnsandboxed',
  ORCHARD_SANDBOX_UID_BASE: 'sandbox.uidBase',
  // Timeouts
  ORCHARD_DB_CONNECT_TIMEOUT_MS: 'database.connectTimeoutMs',
  ORCHARD_DB_STATEMENT_TIMEOUT_MS: 'database.statementTimeoutMs',
  ORCHARD_DB_LOCK_TIMEOUT_MS: 'database.lockTimeoutMs',
  ORCHARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'database.idleInTransactionTimeoutMs',
  ORCHARD_DB_QUERY_TIMEOUT_MS: 'database.queryTimeoutMs',
  ORCHARD_READY_TIMEOUT_MS: 'readyTimeoutMs',
  ORCHARD_GIT_TIMEOUT_MS: 'git.timeoutMs',
  ORCHARD_GIT_TRANSFER_IDLE_MS: 'git.transferIdleMs',
  ORCHARD_GIT_SECRET_SCAN_MAX_BYTES: 'git.secretScanMaxBytes',
  ORCHARD_BACKUP_DIR: 'backup.dir',
  ORCHARD_BACKUP_INTERVAL_HOURS: 'backup.intervalHours',
  ORCHARD_BACKUP_KEEP: 'backup.keep',
  ORCHARD_BACKUP_VERIFY: 'backup.verify',
  ORCHARD_BACKUP_VERIFY_DATABASE_URL: 'backup.verifyDatabaseUrl',
  ORCHARD_GIT_LFS_MAX_OBJECT_BYTES: 'git.lfsMaxObjectBytes',
};

/** Where backups go: `backup.dir`, else `<home>/backups`. */
export const backupDir = (config: Config) => config.backup.dir ?? path.join(config.home, 'backups');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Values from CLI flags, as config key paths (`port`, `workers.concurrency`). */
  flags?: Record<string, unknown>;
  /** The environment; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** An explicit config file (`--config`); otherwise `ORCHARD_CONFIG` or `orchard.config.yaml|json` in cwd. */
  file?: string;
  cwd?: string;
}

/** Reads and validates the configuration; throws ConfigError naming the bad key and what is allowed. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const raw: Record<string, unknown> = {};
  const sources = new Map<string, string>();

  const file = resolveConfigFile(options.file ?? env.ORCHARD_CONFIG, cwd);
  if (file) {
    const fromFile = readConfigFile(file);
    for (const key of Object.keys(fromFile)) sources.set(key, file);
    Object.assign(raw, fromFile);
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setPath(raw, key, value);
      sources.set(key, name);
    }
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) {
      setPath(raw, key, value);
      sources.set(key, `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }

  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const source = sources.get(key) ?? sources.get(String(issue.path[0]));
      return `  ${key}${source ? ` (from ${source})` : ''}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  config.home = path.resolve(cwd, config.home);
  config.backup.dir = config.backup.dir
    ? path.resolve(cwd, config.backup.dir)
    : path.join(config.home, 'backups');
  resolveOidcSecrets(config, env);
  resolveSmtpPassword(config, env);
  return config;
}

const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** OIDC client secrets given as `env:NAME` are read from the environment once, here. */
function resolveOidcSecrets(config: Config, env: Record<string, string | undefined>) {
  for (const [index, provider] of config.auth.oidc.providers.entries()) {
    const name = ENV_REFERENCE.exec(provider.clientSecret ?? '')?.[1];
    if (!name) continue;
    const value = env[name];
    if (!value)
      throw new ConfigError(
        `Invalid configuration:\n  auth.oidc.providers.${index}.clientSecret: names the environment variable ${name}, which is not set`,
      );
    provider.clientSecret = value;
  }
}

/** The SMTP password given as `env:NAME` is read from the environment once, here. */
function resolveSmtpPassword(config: Config, env: Record<string, string | undefined>) {
  const name = ENV_REFERENCE.exec(config.smtp?.password ?? '')?.[1];
  if (!name || !config.smtp) return;
  const value = env[name];
  if (!value)
    throw new ConfigError(
      `Invalid configuration:\n  smtp.password: names the environment variable ${name}, which is not set`,
    );
  config.smtp.password = value;
}

/** A list of objects from one environment variable: JSON (`ORCHARD_OIDC_PROVIDERS='[{"name": …}]'`). */
function parseJsonList(text: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }) {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
    return [];
  }
}

/** Looks up `env:NAME` references in config values (e.g. LLM API keys) without touching process.env elsewhere. */
export function readEnvReference(name: string, env: Record<string, string | undefined> = process.env) {
  return env[name];
}

function resolveConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}`);
    return file;
  }
  for (const name of ['orchard.config.yaml', 'orchard.config.yml', 'orchard.config.json']) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  try {
    const value = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
    if (value == null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError(`Config file ${file} must hold a mapping of keys to values`);
    }
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Config file ${file} is not valid: ${(error as Error).message}`);
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown) {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
