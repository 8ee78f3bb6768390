import type { Queryable } from '../../../platform/db/pool.ts';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { startTicker } from '../../../platform/ticker.ts';
import { findUserById } from '../../identity/index.ts';
import { nextCronTime, parseCron } from '../../pipelines/index.ts';
import { findProjectById } from '../../projects/index.ts';
import type { WorkflowDeps } from '../deps.ts';
import { cancelEndedRunActions } from '../run/cancel-actions.ts';
import { runWorkflow } from '../run-workflow.ts';
import {
  claimWorkflowScheduleRun,
  dueWorkflowSchedules,
  setScheduleOperation,
  type WorkflowScheduleRow,
} from './schedule-store.ts';

/** Who a scheduled run acts for: who pushed its file, as they are now; no one when they are gone. */
async function runAsOf(db: Queryable, schedule: WorkflowScheduleRow): Promise<Actor> {
  const user = schedule.run_as ? await findUserById(db, schedule.run_as) : undefined;
  if (!user || user.disabled) return SYSTEM_ACTOR;
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    via: 'token',
    scopes: ['read', 'write'],
  };
}

/**
 * Starts the workflow runs whose schedule is due, as the pipeline schedules do: safe with any
 * number of processes ticking at once (a conditional UPDATE claims each run), and a run missed
 * while Orchard was down fires once.
 */
export async function runDueWorkflowSchedules(
  deps: Pick<WorkflowDeps, 'db' | 'config' | 'registry' | 'clock' | 'logger'>,
  now = deps.clock.now(),
): Promise<number> {
  let started = 0;
  for (const schedule of await dueWorkflowSchedules(deps.db, now)) {
    const next = nextCronTime(parseCron(schedule.cron), now);
    if (!(await claimWorkflowScheduleRun(deps.db, schedule, next, now))) continue;
    const project = await findProjectById(deps.db, schedule.project_id);
    if (!project || project.archived_at) continue;
    try {
      const run = await runWorkflow(
        deps,
        { actor: await runAsOf(deps.db, schedule), requestId: `schedule:${schedule.id}` },
        project.slug,
        schedule.workflow,
        {},
        { trigger: 'schedule' },
      );
      await setScheduleOperation(deps.db, schedule.id, run.id);
      started++;
    } catch (error) {
      deps.logger.error(
        { err: error, project: project.slug, workflow: schedule.workflow },
        'scheduled workflow run failed to start',
      );
    }
  }
  return started;
}

/**
 * The workflows' background ticks: due schedules every `intervalMs` (default 30 s), and — every
 * `cancelIntervalMs` (default 2 s) — stopping what the steps of ended runs had started.
 */
export function startWorkflowScheduler(
  deps: WorkflowDeps,
  options: { intervalMs?: number; cancelIntervalMs?: number } = {},
): { stop(): Promise<void> } {
  const tickers = [
    startTicker(
      async () => {
        await runDueWorkflowSchedules(deps);
      },
      {
        intervalMs: options.intervalMs ?? 30_000,
        logger: deps.logger,
        failure: 'workflow scheduler tick failed',
        level: 'error',
      },
    ),
    startTicker(
      async () => {
        await cancelEndedRunActions(deps);
      },
      {
        intervalMs: options.cancelIntervalMs ?? 2_000,
        logger: deps.logger,
        failure: 'stopping what ended workflow runs started failed',
      },
    ),
  ];
  return { stop: async () => void (await Promise.all(tickers.map((t) => t.stop()))) };
}
