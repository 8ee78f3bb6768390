/** The issues and merge requests API's answers (src/modules/reviews), from openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Issue = Answer<'/api/projects/{slug}/issues/{number}', 'get'>;
/** `mergeability` is present only while open. */
export type MergeRequest = Answer<'/api/projects/{slug}/merge-requests/{number}', 'get'>;
export type Check = MergeRequest['checks'][number];
export type CheckStatus = Check['status'];
export type Comment = ItemOf<Answer<'/api/projects/{slug}/issues/{number}/comments', 'get'>>;
/** Which checks a merge into a protected branch needs. */
export type BranchProtection = Answer<'/api/projects/{slug}/branches/{branch}/protection', 'get'>;
/** A review of a merge request (approve, request changes, comment), as its page shows it. */
export type Review = NonNullable<MergeRequest['reviews']>[number];
/** What blocks a merge into a protected branch: a check, too few approvals, changes requested. */
export type MergeBlocker = NonNullable<MergeRequest['protection']>['blockers'][number];
