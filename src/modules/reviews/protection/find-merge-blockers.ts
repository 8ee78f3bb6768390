import type { Queryable } from '../../../platform/db/pool.ts';
import { countingVerdicts } from '../approvals/counting-verdicts.ts';
import type { CheckRow } from '../check-store.ts';
import type { MergeRequestRecord } from '../merge-request-store.ts';
import type { MergeRequestView } from '../schemas.ts';
import { approvalBlockers } from './approval-blockers.ts';
import { checkBlockers } from './merge-blockers.ts';
import { mergeRuleFor } from './merge-rule.ts';

export type MergeProtection = NonNullable<MergeRequestView['protection']>;

/**
 * What blocks merging `mr` at commit `head` (with `checks`, that commit's checks) into its target:
 * the target's rule, the approvals that count, and each blocker — required checks that have not
 * passed, too few approvals, requests for changes. Undefined when the target is not protected.
 */
export async function findMergeBlockers(
  db: Queryable,
  mr: MergeRequestRecord,
  head: string,
  checks: readonly CheckRow[],
): Promise<MergeProtection | undefined> {
  const rule = await mergeRuleFor(db, mr.project_id, mr.target_branch);
  if (!rule) return undefined;
  const reviews = approvalBlockers(rule, await countingVerdicts(db, mr), head);
  return {
    ...rule,
    approvals: reviews.approvals,
    blockers: [...checkBlockers(rule.requiredChecks, checks), ...reviews.blockers],
  };
}
