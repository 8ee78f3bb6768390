import type { PushEvent } from '../git/index.ts';
import { branchOf, ZERO_SHA } from '../git/index.ts';
import type { ReviewEvent } from '../reviews/index.ts';
import { checkRunPayload } from './check-run-payload.ts';
import type { NotifyDeps } from './deps.ts';
import { dispatchWebhookEvent } from './dispatch.ts';

/** `push` deliveries: one per updated ref, shaped like the familiar forge payloads. */
export function webhooksOnPush(res: NotifyDeps) {
  return async (push: PushEvent) => {
    for (const u of push.updates) {
      await dispatchWebhookEvent(res, {
        projectId: push.projectId,
        event: 'push',
        actor: push.actor,
        payload: {
          project: { id: push.projectId, slug: push.projectSlug },
          sender: { username: push.actor.username },
          ref: u.ref,
          branch: branchOf(u.ref) ?? null,
          before: u.oldSha,
          after: u.newSha,
          created: u.oldSha === ZERO_SHA,
          deleted: u.newSha === ZERO_SHA,
          headCommit: u.headCommit,
        },
      });
    }
  };
}

/** `issue`, `merge_request` and `check_run` deliveries. */
export function webhooksOnReviewEvent(res: NotifyDeps) {
  return async (event: ReviewEvent) => {
    const about = {
      project: { id: event.projectId, slug: event.projectSlug },
      sender: { username: event.actor.username },
    };
    if (event.type === 'check') {
      await dispatchWebhookEvent(
        res,
        {
          projectId: event.projectId,
          event: 'check_run',
          actor: event.actor,
          payload: { ...checkRunPayload(event, res.config.publicUrl), ...about },
        },
        event.tx,
      );
      return;
    }
    const subject = event.type === 'issue' ? { issue: event.issue } : { mergeRequest: event.mergeRequest };
    await dispatchWebhookEvent(res, {
      projectId: event.projectId,
      event: event.type,
      actor: event.actor,
      payload: {
        action: event.action,
        ...about,
        ...subject,
        ...(event.comment ? { comment: event.comment } : {}),
        ...('review' in event && event.review ? { review: event.review } : {}),
      },
    });
  };
}
