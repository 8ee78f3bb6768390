import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { assertRefName, PROTECTED_BRANCHES } from '../../git/index.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { BranchProtectionBody, BranchProtectionView } from '../schemas.ts';
import { toBranchProtectionView } from './get-branch-protection.ts';
import { upsertBranchProtection } from './protection-store.ts';

/** What a merge needs is for people to decide: an agent cannot lower the bar its own work must pass. */
export const AGENTS_CANNOT_PROTECT =
  'Agent tokens cannot change branch protection: a maintainer decides which checks and approvals a merge needs';

/**
 * Sets the checks and approvals a merge into a protected branch needs (maintainers; audited); a
 * field the body leaves out keeps its value. Any check name is accepted, also one no pipeline
 * reports yet: a merge then waits until it does.
 */
export async function setBranchProtection(
  db: Db,
  ctx: RequestContext,
  slug: string,
  branch: string,
  body: BranchProtectionBody,
): Promise<BranchProtectionView> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_PROTECT);
  assertRefName(branch, 'params.branch');
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'maintainer');
  if (!PROTECTED_BRANCHES.includes(branch)) {
    const message = `is not a protected branch; only ${PROTECTED_BRANCHES.map((b) => `"${b}"`).join(', ')} can require checks or approvals`;
    throw new ValidationError(`"${branch}" ${message}.`, [{ field: 'params.branch', message }]);
  }
  return withTransaction(db, async (tx) => {
    const row = await upsertBranchProtection(tx, {
      projectId: project.id,
      branch,
      requiredChecks: body.requiredChecks,
      requiredApprovals: body.requiredApprovals,
      dismissStaleApprovals: body.dismissStaleApprovals,
      updatedBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'branch_protection.update',
      target: { type: 'branch', id: branch },
      projectId: project.id,
      data: {
        branch,
        requiredChecks: row.required_checks,
        requiredApprovals: row.required_approvals,
        dismissStaleApprovals: row.dismiss_stale_approvals,
      },
    });
    return toBranchProtectionView(tx, branch, row);
  });
}
