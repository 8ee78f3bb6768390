/** The reviews module's public face: issues, merge requests, comments, reviews, checks, merge. */

export { AGENTS_CANNOT_APPROVE, reviewMergeRequest } from './approvals/review-merge-request.ts';
export {
  AnnotationScreenshot,
  CheckAnnotation,
  type CheckAnnotationInput,
  MAX_ANNOTATIONS,
} from './checks/check-annotations.ts';
export { type CheckEvents, type CommitCheck, reportCheck } from './checks/report-check.ts';
export { addComment } from './comments.ts';
export { countOpenReviews, type OpenReviewCounts } from './count-open-reviews.ts';
export { createMergeRequest } from './create-merge-request.ts';
export type { ReviewDeps, ReviewEvent, ReviewListener } from './events.ts';
export { getIssue } from './get-issue.ts';
export { createIssue, updateIssue } from './issues.ts';
export { listIssues } from './list-issues.ts';
export { listMergeRequests } from './list-merge-requests.ts';
export { AGENTS_CANNOT_MERGE, mergeMergeRequest } from './merge-merge-request.ts';
export { mergeCommitOf, mergeRequestStates } from './merge-request-store.ts';
export { reviewsOnPush } from './on-push.ts';
export { openMergeRequestsOn } from './open-merge-requests-on.ts';
export { RequiredChecksError } from './protection/merge-blockers.ts';
export { recordIssueComment } from './record-comment.ts';
export { reviewRoutes } from './routes.ts';
export {
  type CheckStatus,
  type CheckView,
  CommentBody,
  CreateIssueBody,
  CreateMergeRequestBody,
  type IssueView,
  ListQuery as ReviewListQuery,
  MergeBody,
  type MergeRequestView,
  ReviewBody,
  UpdateIssueBody,
  UpdateMergeRequestBody,
} from './schemas.ts';
export { updateMergeRequest } from './update-merge-request.ts';
