import type { DbClient } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { Logger } from '../../platform/log.ts';
import type { PushListener } from '../git/index.ts';
import type { CheckView, IssueView, MergeRequestView, ReviewState } from './schemas.ts';

interface Base {
  projectId: string;
  projectSlug: string;
  actor: Actor;
}

/** What happened to an issue, a merge request or a commit's check; webhooks and pipelines listen. */
export type ReviewEvent =
  | (Base & {
      type: 'issue';
      action: 'opened' | 'updated' | 'closed' | 'reopened' | 'commented';
      issue: IssueView;
      comment?: { id: string; body: string };
    })
  | (Base & {
      type: 'merge_request';
      /**
       * `synchronized`: the source branch got new commits; `reviewed`: someone approved, requested
       * changes or left a review comment; `review_withdrawn`: they withdrew their verdict.
       */
      action:
        | 'opened'
        | 'updated'
        | 'closed'
        | 'reopened'
        | 'merged'
        | 'synchronized'
        | 'commented'
        | 'reviewed'
        | 'review_withdrawn';
      mergeRequest: MergeRequestView;
      comment?: { id: string; body: string };
      review?: { id: string; state: ReviewState; body: string };
    })
  | (Base & {
      type: 'check';
      /**
       * `created`: a run of the check began (its first report on the commit, or one after it
       * ended); `completed`: it reached a final status. A check reported finished at once is both.
       */
      action: 'created' | 'completed';
      sha: string;
      check: CheckView;
      /**
       * The transaction the check is written in (often a pipeline's, which holds the project's
       * operation stream): a listener writes through it, so its rows commit with the check. Another
       * connection would wait on the reporter's locks.
       */
      tx: DbClient;
    });

export type ReviewListener = (event: ReviewEvent) => Promise<void>;

/** Collaborators wired by the composition root (so reviews need not know pipelines or webhooks). */
export interface ReviewDeps {
  /** Told about branch updates the module makes itself (a merge moves the target branch). */
  onPush: PushListener[];
  onEvent: ReviewListener[];
}

/** Hands an event to every listener; a failing listener is logged, never fails the user's request. */
export async function publishReviewEvent(
  logger: Logger,
  listeners: readonly ReviewListener[],
  event: ReviewEvent,
) {
  for (const listener of listeners) {
    try {
      await listener(event);
    } catch (error) {
      logger.error({ err: error, type: event.type, action: event.action }, 'review listener failed');
    }
  }
}
