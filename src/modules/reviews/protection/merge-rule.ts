import type { Queryable } from '../../../platform/db/pool.ts';
import { PROTECTED_BRANCHES } from '../../git/index.ts';
import { findBranchProtection } from './protection-store.ts';

/** What a merge into a protected branch needs besides a maintainer. */
export interface MergeRule {
  requiredChecks: string[];
  requiredApprovals: number;
  dismissStaleApprovals: boolean;
}

/** The rule of a branch with no row yet: nothing required, stale approvals dismissed. */
export const DEFAULT_MERGE_RULE: MergeRule = {
  requiredChecks: [],
  requiredApprovals: 0,
  dismissStaleApprovals: true,
};

/** The rule a merge into `branch` follows: its own for a protected branch; none for another. */
export async function mergeRuleFor(
  db: Queryable,
  projectId: string,
  branch: string,
): Promise<MergeRule | undefined> {
  if (!PROTECTED_BRANCHES.includes(branch)) return undefined;
  const row = await findBranchProtection(db, projectId, branch);
  if (!row) return DEFAULT_MERGE_RULE;
  return {
    requiredChecks: row.required_checks,
    requiredApprovals: row.required_approvals,
    dismissStaleApprovals: row.dismiss_stale_approvals,
  };
}
