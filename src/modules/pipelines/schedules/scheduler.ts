import type { Queryable } from '../../../platform/db/pool.ts';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { startTicker } from '../../../platform/ticker.ts';
import { branchHead, repositoryPath } from '../../git/index.ts';
import { findUserById } from '../../identity/index.ts';
import { findProjectById } from '../../projects/index.ts';
import type { PipelineDeps } from '../deps.ts';
import { triggerPipeline } from '../trigger-pipeline.ts';
import { nextCronTime, parseCron } from './cron.ts';
import { claimScheduleRun, dueSchedules, type ScheduleRow } from './schedule-store.ts';

/**
 * Runs the schedules that are due. Safe with any number of processes ticking at once: each due
 * schedule is claimed by moving its `next_run_at` with a conditional UPDATE that only one process
 * can win (the row still holds the time it read). A run missed while Orchard was down fires once.
 */
export async function runDueSchedules(res: PipelineDeps, now = res.clock.now()): Promise<number> {
  let started = 0;
  for (const schedule of await dueSchedules(res.db, now)) {
    const next = nextCronTime(parseCron(schedule.cron), now);
    if (!(await claimScheduleRun(res.db, schedule, next, now))) continue;
    const project = await findProjectById(res.db, schedule.project_id);
    if (!project || project.archived_at) continue;
    const sha = await branchHead(repositoryPath(res.config.home, project.slug), schedule.ref);
    if (!sha) {
      res.logger.warn(
        { project: project.slug, ref: schedule.ref },
        'scheduled pipeline skipped: branch does not exist',
      );
      continue;
    }
    const result = await triggerPipeline(res, {
      projectId: project.id,
      projectSlug: project.slug,
      ref: schedule.ref,
      sha,
      trigger: 'schedule',
      actor: await creatorOf(res.db, schedule),
      scheduleId: schedule.id,
    }).catch((error) => {
      res.logger.error({ err: error, schedule: schedule.id }, 'scheduled pipeline failed to start');
      return undefined;
    });
    if (result?.kind === 'created') started++;
  }
  return started;
}

/**
 * A scheduled pipeline runs as the user who created the schedule, so whether it may use protected
 * secrets depends on that user's role when each job starts (docs/git-and-pipelines.md). A schedule
 * whose creator is gone runs as no one: only the protected-branch rule can then give it them.
 */
async function creatorOf(db: Queryable, schedule: ScheduleRow): Promise<Actor> {
  const user = schedule.created_by ? await findUserById(db, schedule.created_by) : undefined;
  if (!user) return SYSTEM_ACTOR;
  return { userId: user.id, username: user.username, role: user.role, via: 'token', scopes: [] };
}

/** Ticks every `intervalMs` (default 30 s) until stopped. */
export function startPipelineScheduler(
  res: PipelineDeps,
  options: { intervalMs?: number } = {},
): { stop(): Promise<void> } {
  return startTicker(
    async () => {
      await runDueSchedules(res);
    },
    {
      intervalMs: options.intervalMs ?? 30_000,
      logger: res.logger,
      failure: 'pipeline scheduler tick failed',
      level: 'error',
    },
  );
}
