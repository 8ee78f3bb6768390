import type { Queryable } from '../../../platform/db/pool.ts';
import { PROTECTED_BRANCHES } from '../../git/index.ts';
import { findBranchProtection } from './protection-store.ts';

/** The checks a merge into `branch` needs: its rule's, for a protected branch; none otherwise. */
export async function requiredChecksFor(db: Queryable, projectId: string, branch: string): Promise<string[]> {
  if (!PROTECTED_BRANCHES.includes(branch)) return [];
  return (await findBranchProtection(db, projectId, branch))?.required_checks ?? [];
}
