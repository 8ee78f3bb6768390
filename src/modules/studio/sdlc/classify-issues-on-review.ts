import type { ReviewEvent } from '../../reviews/index.ts';
import { type ClassifyIssueDeps, classifyIssue } from './classify-issue.ts';

/** Issues are classified as they are opened, edited or reopened (review listener, app.ts). */
export function classifyIssuesOnReviewEvent(deps: ClassifyIssueDeps) {
  return async (event: ReviewEvent) => {
    if (event.type !== 'issue') return;
    if (event.action !== 'opened' && event.action !== 'updated' && event.action !== 'reopened') return;
    await classifyIssue(deps, { actor: event.actor }, { projectId: event.projectId, issue: event.issue });
  };
}
