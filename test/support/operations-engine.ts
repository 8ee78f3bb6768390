import os from 'node:os';
import { loadConfig } from '../../src/config.ts';
import { claimSteps } from '../../src/modules/operations/engine/claim-steps.ts';
import { reapExpiredLeases } from '../../src/modules/operations/engine/reap-leases.ts';
import { Registry } from '../../src/modules/operations/engine/registry.ts';
import {
  createWorkerPool,
  type WorkerPool,
  type WorkerPoolOptions,
} from '../../src/modules/operations/engine/worker-pool.ts';
import type { EventRow } from '../../src/modules/operations/events/event-store.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import type { Queryable } from '../../src/platform/db/pool.ts';
import { createEventBus, type EventBus } from '../../src/platform/events/index.ts';
import { createLogger } from '../../src/platform/log.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import type { Resources } from '../../src/platform/resources.ts';
import { TRACING_OFF } from '../../src/platform/tracing.ts';

/** Engine resources on a test database (tests only): a real pool, bus and clock, quiet logs. */
export function engineResources(database: { url: string; db: Resources['db'] }, clock: Clock = systemClock) {
  const config = loadConfig({
    env: {},
    cwd: os.tmpdir(),
    flags: { databaseUrl: database.url, logLevel: 'warn' },
  });
  const logger = createLogger({ level: 'warn' });
  const bus: EventBus = createEventBus(database.url, logger, { idleCloseMs: 100 });
  const res: Resources & { bus: EventBus } = {
    config,
    logger,
    db: database.db,
    databaseUrl: database.url,
    clock,
    metrics: createMetrics({ defaultMetrics: false }),
    tracing: TRACING_OFF,
    bus,
  };
  return res;
}

export function startPool(
  res: Resources & { bus: EventBus },
  registry: Registry,
  options: Partial<WorkerPoolOptions> = {},
): Promise<WorkerPool> {
  const pool = createWorkerPool({ res, registry, queues: [], concurrency: 4, pollMs: 50, ...options });
  return pool.start().then(() => pool);
}

/**
 * What a worker killed mid-step leaves behind, and what the reaper then does: claims the ready
 * steps of `queues` under a lease that has already run out, and reaps them.
 */
export async function crashWorkerOn(
  db: Resources['db'],
  registry: Registry,
  queues: string[],
  clock: Clock = systemClock,
) {
  const claimed = await claimSteps(db, { queues, limit: 100, owner: 'killed-worker', leaseMs: -1, clock });
  const reaped = await reapExpiredLeases(db, registry, clock);
  return { claimed, reaped };
}

export async function eventsOf(db: Queryable, operationId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    'SELECT * FROM operation_events WHERE operation_id = $1 ORDER BY id',
    [operationId],
  );
  return rows;
}

export async function stepsOf(db: Queryable, operationId: string) {
  const { rows } = await db.query<{
    key: string;
    status: string;
    attempt: number;
    output: unknown;
    run_after: Date;
    started_at: Date | null;
    finished_at: Date | null;
    error: { message: string } | null;
  }>(
    'SELECT key, status, attempt, output, run_after, started_at, finished_at, error FROM steps WHERE operation_id = $1 ORDER BY id',
    [operationId],
  );
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

export { Registry };
