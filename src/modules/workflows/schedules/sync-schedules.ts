import { createHash } from 'node:crypto';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import type { Logger } from '../../../platform/log.ts';
import { branchOf, DEFAULT_BRANCH, type PushEvent, ZERO_SHA } from '../../git/index.ts';
import { nextCronTime, parseCron } from '../../pipelines/index.ts';
import { readWorkflowFiles } from '../file/read-workflow-files.ts';
import { replaceSchedules, type WantedSchedule } from './schedule-store.ts';

export interface ScheduleSyncDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: { home: string };
}

/**
 * Makes the project's workflow schedules those of the valid files on its default branch now.
 * A file that changed takes `runAs` (who pushed it) as the one its scheduled runs act for.
 */
export async function syncWorkflowSchedules(
  deps: ScheduleSyncDeps,
  project: { id: string; slug: string },
  runAs: string | null,
): Promise<WantedSchedule[]> {
  const { files } = await readWorkflowFiles(deps.config.home, project.slug);
  const now = deps.clock.now();
  const wanted: WantedSchedule[] = [];
  for (const file of files) {
    if (!file.parsed.ok) {
      if (/^\s*on\s*:/m.test(file.text))
        deps.logger.warn(
          { project: project.slug, file: file.path },
          'workflow file is invalid: its schedules do not run until it is fixed',
        );
      continue;
    }
    const fileHash = createHash('sha256').update(file.text).digest('hex');
    for (const { cron } of file.parsed.spec.on.schedule ?? [])
      wanted.push({ workflow: file.name, cron, fileHash, nextRunAt: nextCronTime(parseCron(cron), now) });
  }
  await replaceSchedules(deps.db, project.id, wanted, runAs, now);
  return wanted;
}

/** A push that moved the default branch re-reads the project's workflow schedules. */
export function workflowsOnPush(deps: ScheduleSyncDeps) {
  return async (push: PushEvent) => {
    const moved = push.updates.some((u) => branchOf(u.ref) === DEFAULT_BRANCH && u.newSha !== ZERO_SHA);
    if (!moved) return;
    await syncWorkflowSchedules(
      deps,
      { id: push.projectId, slug: push.projectSlug },
      isSystemActor(push.actor) ? null : (push.actor.delegation?.byUserId ?? push.actor.userId),
    );
  };
}
