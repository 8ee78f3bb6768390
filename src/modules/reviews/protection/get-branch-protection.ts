import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { assertRefName, PROTECTED_BRANCHES } from '../../git/index.ts';
import { findUsernames } from '../../identity/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import type { BranchProtectionView } from '../schemas.ts';
import { DEFAULT_MERGE_RULE } from './merge-rule.ts';
import { type BranchProtectionRow, findBranchProtection } from './protection-store.ts';

export async function toBranchProtectionView(
  db: Queryable,
  branch: string,
  row: BranchProtectionRow | undefined,
): Promise<BranchProtectionView> {
  const names = row?.updated_by ? await findUsernames(db, [row.updated_by]) : new Map<string, string>();
  return {
    branch,
    protected: PROTECTED_BRANCHES.includes(branch),
    requiredChecks: row?.required_checks ?? DEFAULT_MERGE_RULE.requiredChecks,
    requiredApprovals: row?.required_approvals ?? DEFAULT_MERGE_RULE.requiredApprovals,
    dismissStaleApprovals: row?.dismiss_stale_approvals ?? DEFAULT_MERGE_RULE.dismissStaleApprovals,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ? (names.get(row.updated_by) ?? null) : null,
  };
}

/** Whether a branch is protected and which checks and approvals a merge into it needs (viewers). */
export async function getBranchProtection(
  db: Queryable,
  actor: Actor,
  slug: string,
  branch: string,
): Promise<BranchProtectionView> {
  assertRefName(branch, 'params.branch');
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  return toBranchProtectionView(db, branch, await findBranchProtection(db, project.id, branch));
}
