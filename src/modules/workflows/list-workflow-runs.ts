import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/pool.ts';
import { listOperations } from '../operations/index.ts';
import { WORKFLOW_KIND } from './run/run-input.ts';
import { findRuns } from './run-store.ts';
import type { WorkflowRunView } from './schemas.ts';

/** A project's workflow runs, newest first, with their operations' status (viewers). */
export async function listWorkflowRuns(
  db: Db,
  ctx: RequestContext,
  slug: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: WorkflowRunView[]; nextCursor: string | null }> {
  const page = await listOperations(db, ctx.actor, { project: slug, kind: WORKFLOW_KIND, ...query });
  const runs = await findRuns(
    db,
    page.items.map((op) => op.id),
  );
  return {
    items: page.items.flatMap((op) => {
      const run = runs.get(op.id);
      if (!run) return [];
      return [
        {
          id: op.id,
          workflow: run.workflow,
          ref: run.ref,
          sha: run.sha,
          trigger: run.trigger,
          inputs: run.inputs,
          status: op.status,
          actor: op.actor,
          error: op.error?.message ?? null,
          createdAt: op.createdAt,
          finishedAt: op.finishedAt,
        },
      ];
    }),
    nextCursor: page.nextCursor,
  };
}
