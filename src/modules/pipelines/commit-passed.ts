import type { PipelineRow } from './store.ts';

/**
 * A commit of a branch passed: its pipeline succeeded, or no pipeline applies to it (no
 * `.orchard/pipeline.yml`, or no job runs on the branch). What follows a passed commit (a release
 * of `main` on staging) listens for this; listeners must be idempotent, since the step that calls
 * them may run again.
 */
export interface CommitPassed {
  projectId: string;
  ref: string;
  sha: string;
  /** The user who pushed (or ran) it; null when Orchard itself did. */
  actorId: string | null;
  pipeline: Pick<PipelineRow, 'id' | 'number'> | null;
}

export type CommitPassedListener = (event: CommitPassed) => Promise<void>;

/** Calls every listener; one that fails does not keep the others from hearing it. */
export async function announceCommitPassed(
  listeners: readonly CommitPassedListener[] | undefined,
  event: CommitPassed,
  onError: (error: unknown) => void,
): Promise<void> {
  for (const listener of listeners ?? []) {
    try {
      await listener(event);
    } catch (error) {
      onError(error);
    }
  }
}
