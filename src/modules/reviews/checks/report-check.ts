import { type Db, type DbClient, withSavepoint, withTransaction } from '../../../platform/db/pool.ts';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import type { Logger } from '../../../platform/log.ts';
import { findProjectById } from '../../projects/index.ts';
import { FINAL_CHECK_STATUSES, upsertCheck } from '../check-store.ts';
import type { ReviewEvent, ReviewListener } from '../events.ts';
import type { CheckStatus } from '../schemas.ts';
import { toCheckView } from '../views.ts';
import { parseCheckDetails } from './check-annotations.ts';

export interface CommitCheck {
  projectId: string;
  sha: string;
  /** `pipeline`, `browser-verification`. */
  name: string;
  status: CheckStatus;
  summary?: string;
  targetUrl?: string | null;
  /** Kept with the check; `annotations` must have the shape of `CheckAnnotation` (validated). */
  details?: Record<string, unknown>;
  /** Who reported it (the sender of its webhooks); Orchard itself when not given. */
  actor?: Actor;
}

/** Where a reported check is announced: the review listeners (webhooks send `check_run`). */
export interface CheckEvents {
  logger: Logger;
  onEvent?: readonly ReviewListener[];
}

/**
 * Records a check on a commit (pipelines and the browser robot call this as they run) and tells
 * the review listeners, in the same transaction (the caller's when `db` is one), when a run of it
 * began or ended. Merge requests show the checks of their head commit, so pushing a new head
 * resets what they show. Details with malformed annotations are a ValidationError, nothing written.
 */
export async function reportCheck(db: Db | DbClient, c: CommitCheck, events?: CheckEvents): Promise<void> {
  const details = parseCheckDetails(c.details ?? {});
  await withTransaction(db, async (tx) => {
    const row = await upsertCheck(tx, {
      projectId: c.projectId,
      sha: c.sha,
      name: c.name,
      status: c.status,
      summary: c.summary ?? '',
      targetUrl: c.targetUrl ?? null,
      details,
    });
    const actions = checkActions(row.previous_status, row.status);
    if (!actions.length || !events?.onEvent?.length) return;
    const project = await findProjectById(tx, c.projectId);
    if (!project) return;
    const check = toCheckView(row);
    for (const action of actions)
      await tellEach(tx, events, {
        type: 'check',
        action,
        projectId: project.id,
        projectSlug: project.slug,
        actor: c.actor ?? SYSTEM_ACTOR,
        sha: row.sha,
        check,
        tx,
      });
  });
}

/**
 * Each listener inside a savepoint: one that fails is logged and its writes undone, and neither
 * the check nor the caller's transaction fails with it.
 */
async function tellEach(tx: DbClient, events: CheckEvents, event: Extract<ReviewEvent, { type: 'check' }>) {
  for (const listener of events.onEvent ?? [])
    await withSavepoint(
      tx,
      'check_listener',
      () => listener(event),
      (error) =>
        events.logger.error({ err: error, type: event.type, action: event.action }, 'review listener failed'),
    );
}

/**
 * What a report means for the check's run: `created` when one begins (no earlier report, or the
 * last one was final), `completed` when it reaches a final status. Going from queued to running
 * is neither, as on GitHub.
 */
export function checkActions(
  previous: CheckStatus | null,
  next: CheckStatus,
): Array<'created' | 'completed'> {
  const final = (s: CheckStatus) => FINAL_CHECK_STATUSES.includes(s);
  const actions: Array<'created' | 'completed'> = [];
  if (previous === null || (final(previous) && !final(next))) actions.push('created');
  if (final(next)) actions.push('completed');
  return actions;
}
