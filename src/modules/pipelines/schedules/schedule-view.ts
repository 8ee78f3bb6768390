import type { ScheduleRow } from './schedule-store.ts';

export function toScheduleView(row: ScheduleRow) {
  return {
    id: row.id,
    ref: row.ref,
    cron: row.cron,
    enabled: row.enabled,
    nextRunAt: row.next_run_at.toISOString(),
    lastRunAt: row.last_run_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
