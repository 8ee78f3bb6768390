import { readdir } from 'node:fs/promises';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import { startTicker } from '../../platform/ticker.ts';
import { type Registry, startOperation } from '../operations/index.ts';
import { BACKUP_KIND } from './backup-jobs.ts';
import { BACKUP_FILE } from './create-backup.ts';
import { backupTime } from './list-backups.ts';

const TICK_MS = 60_000;

/** When the newest archive in `dir` was made (from its name), or undefined. */
export async function newestBackupTime(dir: string): Promise<Date | undefined> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => BACKUP_FILE.test(n)).sort();
  const newest = names.at(-1);
  return newest ? backupTime(newest) : undefined;
}

interface ScheduleDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  registry: Registry;
}

/**
 * One tick of the schedule: starts the slot's `backup.create` unless the folder already holds an
 * archive made in this slot (a manual `orchard backup`, or a run whose operation was pruned).
 * Returns the operation's id, or undefined when nothing was due.
 */
export async function startScheduledBackup(
  deps: ScheduleDeps,
  options: { intervalHours: number; dir: string },
): Promise<string | undefined> {
  const intervalMs = options.intervalHours * 3_600_000;
  const now = deps.clock.now();
  const slot = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
  const newest = await newestBackupTime(options.dir);
  if (newest && newest.getTime() >= slot.getTime()) return undefined;
  const { id } = await startOperation(deps.db, deps.registry, {
    kind: BACKUP_KIND,
    input: { slot: slot.toISOString() },
    idempotencyKey: `backup:${slot.toISOString()}`,
    clock: deps.clock,
  });
  return id;
}

/**
 * Ticks the schedule (config `backup.intervalHours`) each minute in every process with workers; the
 * slot's idempotency key makes one operation per slot across them all.
 */
export function startBackupSchedule(
  deps: ScheduleDeps,
  options: { intervalHours: number; dir: string },
): { stop(): Promise<void> } {
  return startTicker(() => startScheduledBackup(deps, options).then(() => undefined), {
    intervalMs: TICK_MS,
    logger: deps.logger,
    failure: 'could not start the scheduled backup; retrying at the next tick',
    level: 'error',
  });
}
