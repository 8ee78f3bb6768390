import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { startTicker } from '../../../platform/ticker.ts';
import {
  createDayPartition,
  DAY_MS,
  defaultPartitionDays,
  dropPartitionsBefore,
  partitionName,
  TELEMETRY_TABLES,
} from './partition-store.ts';

export interface PartitionOptions {
  /** Partitions whose day ended more than this many days ago are dropped. */
  retentionDays: number;
  /** Days ahead of today that get their partition now (default 3). */
  daysAhead?: number;
}

export interface PartitionReport {
  created: string[];
  moved: number;
  dropped: string[];
}

const startOfDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/**
 * Keeps the telemetry tables' day partitions: today's and the next few days' exist before their
 * rows arrive; days whose rows landed in the DEFAULT partition (none existed yet) get theirs and
 * the rows move in; days past the retention are dropped whole.
 */
export async function maintainPartitions(
  deps: { db: Db; clock: Clock },
  options: PartitionOptions,
): Promise<PartitionReport> {
  const today = startOfDay(deps.clock.now());
  const cutoff = new Date(today.getTime() - options.retentionDays * DAY_MS);
  const report: PartitionReport = { created: [], moved: 0, dropped: [] };
  for (const t of TELEMETRY_TABLES) {
    report.dropped.push(...(await dropPartitionsBefore(deps.db, t, cutoff)));
    const ahead = Array.from(
      { length: (options.daysAhead ?? 3) + 1 },
      (_, i) => new Date(today.getTime() + i * DAY_MS),
    );
    const stranded = await defaultPartitionDays(deps.db, t, cutoff);
    // Far-future rows (a client's clock gone wrong) stay in the default rather than make tables.
    const limit = today.getTime() + 30 * DAY_MS;
    const days = new Map(
      [...stranded.filter((d) => d.getTime() <= limit), ...ahead].map((d) => [d.getTime(), d]),
    );
    for (const day of days.values()) {
      const moved = await createDayPartition(deps.db, t, day);
      if (moved === undefined) continue;
      report.created.push(partitionName(t, day));
      report.moved += moved;
    }
  }
  return report;
}

/** Runs maintainPartitions at start and then every `intervalMs` (default one hour). */
export function startPartitionMaintenance(
  deps: { db: Db; clock: Clock; logger: Logger },
  options: PartitionOptions & { intervalMs?: number },
): { stop(): Promise<void> } {
  return startTicker(
    async () => {
      const report = await maintainPartitions(deps, options);
      if (report.created.length || report.dropped.length)
        deps.logger.info(report, 'maintained the telemetry partitions');
    },
    {
      intervalMs: options.intervalMs ?? 3_600_000,
      firstDelayMs: 0,
      logger: deps.logger,
      failure: 'maintaining the telemetry partitions failed; retrying at the next sweep',
    },
  );
}
