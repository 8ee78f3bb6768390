import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { Vault } from '../../secrets/index.ts';
import { ingestRoutes } from './ingest-routes.ts';
import type { IngestTenant } from './ingest-tenant.ts';
import { createIngestAuthenticator, ensureIngestToken } from './ingest-tokens.ts';
import { otelEnv } from './otel-env.ts';
import { type TelemetryListener, TelemetryWriter } from './telemetry-writer.ts';

export interface TelemetryIngestOptions {
  db: Db;
  vault: Vault;
  logger: Logger;
  clock: Clock;
  /** config.telemetry */
  limits: { queueMaxRecords: number; bodyLimitBytes: number; writers: number };
  /** Called after each commit (the error reporting extracts exceptions here). */
  listeners?: TelemetryListener[];
}

/** The OTLP ingest of one process: its writer (queue), token check, routes, and the apps' env. */
export interface TelemetryIngest {
  writer: TelemetryWriter;
  /** Adds an after-commit listener (the composition root wires error reporting). */
  listen(listener: TelemetryListener): void;
  routes(): ReturnType<typeof ingestRoutes>;
  /**
   * The OTEL_* variables for a process of this environment (its app, a pipeline job deploying to
   * it) that exports to Orchard at `baseUrl`.
   */
  envFor(tenant: IngestTenant, o: { baseUrl: string; serviceName: string }): Promise<Record<string, string>>;
  /** Waits for accepted records to be committed. */
  close(): Promise<void>;
}

export function createTelemetryIngest(o: TelemetryIngestOptions): TelemetryIngest {
  const listeners = [...(o.listeners ?? [])];
  const writer = new TelemetryWriter({
    db: o.db,
    logger: o.logger,
    maxQueued: o.limits.queueMaxRecords,
    concurrency: o.limits.writers,
    listeners,
  });
  const authenticate = createIngestAuthenticator(o.db);
  return {
    writer,
    listen: (listener) => listeners.push(listener),
    routes: () =>
      ingestRoutes({ clock: o.clock, writer, authenticate, bodyLimitBytes: o.limits.bodyLimitBytes }),
    async envFor(tenant, { baseUrl, serviceName }) {
      const token = await ensureIngestToken({ db: o.db, vault: o.vault }, tenant);
      return otelEnv({ baseUrl, token, serviceName });
    },
    close: () => writer.close(),
  };
}
