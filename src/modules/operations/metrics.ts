import { Gauge } from 'prom-client';
import type { Queryable } from '../../platform/db/pool.ts';
import type { Metrics } from '../../platform/metrics.ts';

export interface OperationMetrics {
  stepDuration: ReturnType<Metrics['histogram']>;
  stepRetries: ReturnType<Metrics['counter']>;
  leaseExpiries: ReturnType<Metrics['counter']>;
  stepsRunningHere: ReturnType<Metrics['gauge']>;
  stepsPrefetchedHere: ReturnType<Metrics['gauge']>;
  sseClients: ReturnType<Metrics['gauge']>;
  sseOverflows: ReturnType<Metrics['counter']>;
}

/** The engine's metrics in this process's registry (idempotent). */
export function operationMetrics(metrics: Metrics): OperationMetrics {
  return {
    stepDuration: metrics.histogram(
      'orchard_step_duration_seconds',
      'Step attempt run time by handler and outcome (succeeded, retry, failed, cancelled, released, lost)',
      ['handler', 'outcome'],
      [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    ),
    stepRetries: metrics.counter('orchard_step_retries_total', 'Failed step attempts scheduled for retry', [
      'handler',
    ]),
    leaseExpiries: metrics.counter(
      'orchard_step_lease_expiries_total',
      'Steps whose worker stopped heartbeating, returned to the queue by the reaper',
      ['queue'],
    ),
    stepsRunningHere: metrics.gauge('orchard_worker_steps_running', 'Steps running in this process', [
      'queue',
    ]),
    stepsPrefetchedHere: metrics.gauge(
      'orchard_worker_steps_prefetched',
      'Steps this process has claimed ahead and not started yet',
      ['queue'],
    ),
    sseClients: metrics.gauge('orchard_sse_clients', 'Open event streams', ['stream']),
    sseOverflows: metrics.counter(
      'orchard_sse_overflows_total',
      'Slow event-stream clients whose buffer was dropped and who were served from the database again',
      ['stream'],
    ),
  };
}

/**
 * Queue depth from the database, read at scrape time: ready steps per queue (the autoscaling
 * signal) and running steps per queue, across all workers.
 */
export function registerQueueGauges(
  metrics: Metrics,
  db: Queryable,
  now: () => Date,
  knownQueues: () => string[],
) {
  if (metrics.registry.getSingleMetric('orchard_steps_ready')) return;
  let last: Promise<Array<{ queue: string; ready: number; running: number }>> | undefined;
  // One query serves both gauges of a scrape.
  const read = () => {
    last ??= db
      .query<{ queue: string; ready: number; running: number }>(
        `SELECT queue, count(*) FILTER (WHERE status = 'ready' AND run_after <= $1)::int AS ready,
                count(*) FILTER (WHERE status = 'running')::int AS running
         FROM steps WHERE status IN ('ready', 'running') GROUP BY queue`,
        [now()],
      )
      .then((r) => r.rows)
      .catch(() => [])
      .finally(() => setTimeout(() => (last = undefined), 100).unref());
    return last;
  };
  for (const [name, help, field] of [
    ['orchard_steps_ready', 'Steps ready to run now, per queue (scale workers on this)', 'ready'],
    ['orchard_steps_running', 'Steps running on any worker, per queue', 'running'],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        // Known queues report 0 rather than vanish, so an autoscaler sees an idle queue as idle.
        for (const queue of knownQueues()) this.set({ queue }, 0);
        for (const row of await read()) this.set({ queue: row.queue }, row[field]);
      },
    });
  }
}
