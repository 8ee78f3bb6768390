import type { Delegation } from '../../platform/http/actor.ts';
import { branchOf, type RefUpdate } from './push.ts';
import { ZERO_SHA } from './ref-name.ts';

/**
 * Why an agent token may not make a ref update, or undefined when it may: agents create and move
 * branches matching their `pushBranches` glob (`*` matches anything, `/` included) and delete
 * nothing, tags included. Pushes over HTTP are held to the same rule by the `update` hook
 * (git-hooks.ts); this is for ref updates Orchard makes itself on an agent's behalf.
 */
export function agentRefRefusal(delegation: Delegation, update: RefUpdate): string | undefined {
  if (update.newSha === ZERO_SHA) return `agent tokens may not delete refs; ${update.ref} was kept`;
  const branch = branchOf(update.ref);
  if (branch === undefined || !agentMayPushTo(delegation, branch))
    return `agent tokens may push only to ${delegation.pushBranches}; ${update.ref} was refused`;
  return undefined;
}

/** Whether an agent token may move `branch` (a branch name, not a ref): its `pushBranches` glob. */
export function agentMayPushTo(delegation: Pick<Delegation, 'pushBranches'>, branch: string): boolean {
  return globMatches(delegation.pushBranches, branch);
}

/** Shell `case` pattern semantics for `*`; every other character stands for itself. */
function globMatches(glob: string, name: string): boolean {
  if (!glob) return false;
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(name);
}
