import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import type { DeployDeps } from '../deps.ts';
import { setReleaseVerified } from './release-store.ts';

/**
 * Records the verify step's verdict on a release (the browser robot's smoke run): only a release
 * that passed may be published. A later failing run takes the mark away again.
 */
export async function markReleaseVerified(
  deps: Pick<DeployDeps, 'db' | 'clock'>,
  ctx: RequestContext,
  releaseId: string,
  verdict: { operationId?: string | null; passed: boolean },
) {
  return withTransaction(deps.db, async (tx) => {
    const row = await setReleaseVerified(tx, releaseId, {
      passed: verdict.passed,
      operationId: verdict.operationId ?? null,
      now: deps.clock.now(),
    });
    if (!row) throw new NotFoundError(`No release ${releaseId}.`);
    await recordAudit(tx, ctx, {
      action: verdict.passed ? 'release.verify' : 'release.unverify',
      target: { type: 'release', id: row.id },
      projectId: row.project_id,
      data: { sha: row.sha, operationId: verdict.operationId ?? null },
    });
    return row;
  });
}
