import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import type { ReviewEvent } from '../../reviews/index.ts';
import { previewName } from '../env-name.ts';
import { removePreview } from '../remove-environment.ts';
import type { DeployRuntime } from '../serve/runtime.ts';

/**
 * Previews follow merge requests: opening one, reopening it or pushing to its branch deploys the
 * head commit as `preview/<branch>` (a `deploy.release` operation, so the request that caused it
 * does not wait); merging or closing it removes the preview. Branches without `.orchard/app.yml`
 * have nothing to run and get no preview.
 */
export function previewsOnReviewEvent(res: {
  db: Db;
  registry: Registry;
  deploy: DeployRuntime;
  logger: Logger;
  config: { home: string };
}) {
  return async (event: ReviewEvent) => {
    if (event.type !== 'merge_request') return;
    const mr = event.mergeRequest;
    const ctx = { actor: event.actor };
    if (event.action === 'merged' || event.action === 'closed') {
      await removePreview(res.deploy.deps, ctx, { slug: event.projectSlug, branch: mr.sourceBranch });
      return;
    }
    if (event.action !== 'opened' && event.action !== 'reopened' && event.action !== 'synchronized') return;
    if (!mr.headSha) return;
    const repo = repositoryPath(res.config.home, event.projectSlug);
    if ((await readFileAt(repo, mr.headSha, '.orchard/app.yml')) === undefined) return;
    await startOperation(res.db, res.registry, {
      kind: 'deploy.release',
      // A build deploys its branch's head itself: that one start is enough.
      input: {
        env: previewName(mr.sourceBranch),
        ref: mr.headSha,
        requestedBy: event.actor.username,
        unlessServing: true,
      },
      actor: event.actor,
      projectId: event.projectId,
      idempotencyKey: `preview:${event.projectId}:${mr.sourceBranch}:${mr.headSha}`,
    });
  };
}
