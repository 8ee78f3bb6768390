import type { DbClient } from '../../../platform/db/pool.ts';
import type { NotifyDeps } from '../deps.ts';
import { recordStreak } from './notification-store.ts';
import { notify } from './notify.ts';

/** How a Studio build of a Blueprint ended, as the Studio reports it. */
export interface BuildOutcomeNews {
  operationId: string;
  /** The run of the operation that ended (a retried build is a new run). */
  run: number;
  blueprintId: string;
  projectId: string;
  projectSlug: string;
  /** Who asked for the build. */
  requestedBy: string;
  failed: boolean;
  /** The failed step and its error, in words. */
  reason?: string;
}

/**
 * A build that failed is news for whoever asked for it; one that succeeded is news only when the
 * Blueprint's previous build had failed ("fixed"). Inside the caller's transaction.
 */
export async function notifyBuildOutcome(res: NotifyDeps, tx: DbClient, b: BuildOutcomeNews): Promise<void> {
  const wasFailing = await recordStreak(tx, {
    projectId: b.projectId,
    subject: `build:${b.blueprintId}`,
    failing: b.failed,
    at: res.clock.now(),
  });
  if (!b.failed && !wasFailing) return;
  await notify(res, tx, {
    kind: b.failed ? 'build_failed' : 'build_fixed',
    projectId: b.projectId,
    recipients: [b.requestedBy],
    title: b.failed
      ? `The build of ${b.projectSlug} failed`
      : `The build of ${b.projectSlug} succeeded again`,
    body: b.reason ?? '',
    link: `/projects/${encodeURIComponent(b.projectSlug)}/blueprints/${b.blueprintId}?operation=${b.operationId}`,
    dedupeKey: `build:${b.operationId}:${b.run}:${b.failed ? 'failed' : 'fixed'}`,
  });
}
