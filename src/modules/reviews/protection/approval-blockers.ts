import type { CountingVerdict } from '../approvals/counting-verdicts.ts';
import { isStale } from '../approvals/review-verdicts.ts';
import type { MergeBlocker } from '../schemas.ts';
import type { MergeRule } from './merge-rule.ts';

const approvalsText = (n: number) => `${n} approval${n === 1 ? '' : 's'}`;

/** Why approvals that were given do not count: " (2 approvals given before the latest push no longer count)". */
function staleNote(n: number): string {
  if (n === 0) return '';
  if (n === 1) return ' (an approval given before the latest push no longer counts)';
  return ` (${n} approvals given before the latest push no longer count)`;
}

/**
 * The approvals that count for merging `head` (given on it, or on any commit when the rule keeps
 * stale approvals), a blocker when they are fewer than the rule requires, and one per reviewer
 * whose request for changes stands (it blocks whatever the rule's count).
 */
export function approvalBlockers(
  rule: MergeRule,
  verdicts: readonly CountingVerdict[],
  head: string,
): { approvals: number; blockers: MergeBlocker[] } {
  const approving = verdicts.filter((v) => v.review.state === 'approve');
  const stale = approving.filter((v) => isStale(v.review, head, rule.dismissStaleApprovals)).length;
  const approvals = approving.length - stale;
  const blockers: MergeBlocker[] = [];
  if (approvals < rule.requiredApprovals)
    blockers.push({
      kind: 'approvals',
      required: rule.requiredApprovals,
      approvals,
      stale,
      message: `needs ${approvalsText(rule.requiredApprovals)}, has ${approvals}${staleNote(stale)}`,
    });
  for (const v of verdicts)
    if (v.review.state === 'request_changes')
      blockers.push({
        kind: 'changes_requested',
        reviewer: v.reviewer,
        message: `changes requested by ${v.reviewer}`,
      });
  return { approvals, blockers };
}
