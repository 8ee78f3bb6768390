import type { Actor } from '../../platform/http/actor.ts';

/** One ref a push changed. `oldSha` is all zeros for a new ref, `newSha` all zeros for a deletion. */
export interface RefUpdate {
  ref: string;
  oldSha: string;
  newSha: string;
}

export interface HeadCommit {
  sha: string;
  message: string;
  authorName: string;
  authorEmail: string;
  timestamp: string;
}

/** What other modules hear about a push (or a merge, which updates a branch the same way). */
export interface PushEvent {
  projectId: string;
  projectSlug: string;
  actor: Actor;
  updates: Array<RefUpdate & { headCommit: HeadCommit | null }>;
}

/** Reacts to a push: pipelines, merge-request updates, webhooks. Wired by the composition root. */
export type PushListener = (push: PushEvent) => Promise<void>;

/** `refs/heads/feature/x` → `feature/x`; undefined for tags and other refs. */
export function branchOf(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
