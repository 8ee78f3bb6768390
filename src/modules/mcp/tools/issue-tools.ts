import { z } from 'zod';
import type { Resources } from '../../../platform/resources.ts';
import {
  AGENTS_CANNOT_MERGE,
  addComment,
  CommentBody,
  CreateIssueBody,
  CreateMergeRequestBody,
  createIssue,
  createMergeRequest,
  getIssue,
  listIssues,
  listMergeRequests,
  MergeBody,
  mergeMergeRequest,
  ReviewBody,
  type ReviewDeps,
  reviewMergeRequest,
  UpdateIssueBody,
  UpdateMergeRequestBody,
  updateIssue,
  updateMergeRequest,
} from '../../reviews/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Cursor, Limit, Slug } from './tool-inputs.ts';

const IssueNumber = z.number().int().min(1).max(2_147_483_647);
const List = z.object({
  slug: Slug,
  state: z.enum(['open', 'closed', 'merged', 'all']).default('open'),
  limit: Limit,
  cursor: Cursor,
});

/** issues: issues and merge requests — list, read, create, comment, review, merge. */
export function issueTools(res: Resources, deps: ReviewDeps) {
  return [
    defineTool({
      name: 'list_issues',
      set: 'issues',
      title: 'List issues',
      description: "A project's issues, newest first (open ones unless state says otherwise).",
      input: List,
      route: { method: 'GET', url: '/api/projects/:slug/issues' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...query }) => listIssues(res.db, ctx.actor, slug, query),
    }),
    defineTool({
      name: 'get_issue',
      set: 'issues',
      title: 'Get an issue',
      description: 'One issue with its description, labels, assignee and state.',
      input: z.object({ slug: Slug, number: IssueNumber }),
      route: { method: 'GET', url: '/api/projects/:slug/issues/:number' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => getIssue(res.db, ctx.actor, args.slug, args.number),
    }),
    defineTool({
      name: 'create_issue',
      set: 'issues',
      title: 'Open an issue',
      description: 'Opens an issue in a project (developers and up). Markdown in body.',
      input: CreateIssueBody.extend({ slug: Slug }),
      route: { method: 'POST', url: '/api/projects/:slug/issues', config: { delegated: true } },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...body }) => createIssue(res, deps, ctx, slug, body),
    }),
    defineTool({
      name: 'comment_on_issue',
      set: 'issues',
      title: 'Comment on an issue',
      description: 'Adds a comment (Markdown) to an issue.',
      input: CommentBody.extend({ slug: Slug, number: IssueNumber }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/issues/:number/comments',
        config: { delegated: true },
      },
      slugOf: (args) => args.slug,
      run: (ctx, args) => addComment(res, deps, ctx, args.slug, 'issue', args.number, args.body),
    }),
    defineTool({
      name: 'update_issue',
      set: 'issues',
      title: 'Update or close an issue',
      description:
        'Changes an issue: its title, body, labels or assignee, or closes it (state: closed) and reopens it (state: open).',
      input: UpdateIssueBody.extend({ slug: Slug, number: IssueNumber }),
      route: { method: 'PATCH', url: '/api/projects/:slug/issues/:number', config: { delegated: true } },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, number, ...body }) => updateIssue(res, deps, ctx, slug, number, body),
    }),
    defineTool({
      name: 'list_merge_requests',
      set: 'issues',
      title: 'List merge requests',
      description:
        "A project's merge requests with their checks, newest first (open ones unless state says otherwise).",
      input: List,
      route: { method: 'GET', url: '/api/projects/:slug/merge-requests' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...query }) => listMergeRequests(res.db, ctx.actor, slug, query),
    }),
    defineTool({
      name: 'open_merge_request',
      set: 'issues',
      title: 'Open a merge request',
      description:
        'Proposes merging a branch into another (usually main): the pipeline runs on it, its preview is deployed, and people review it.',
      input: CreateMergeRequestBody.extend({ slug: Slug }),
      route: { method: 'POST', url: '/api/projects/:slug/merge-requests', config: { delegated: true } },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, ...body }) => createMergeRequest(res, deps, ctx, slug, body),
    }),
    defineTool({
      name: 'update_merge_request',
      set: 'issues',
      title: 'Update or close a merge request',
      description:
        "Changes a merge request's title or description, or closes it (state: closed) and reopens it.",
      input: UpdateMergeRequestBody.extend({ slug: Slug, number: IssueNumber }),
      route: {
        method: 'PATCH',
        url: '/api/projects/:slug/merge-requests/:number',
        config: { delegated: true },
      },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, number, ...body }) => updateMergeRequest(res, deps, ctx, slug, number, body),
    }),
    defineTool({
      name: 'review_merge_request',
      set: 'issues',
      title: 'Review a merge request',
      description:
        "Reviews an open merge request on its head commit: approve, request_changes (body says what to change) or comment (body). Developers other than its author; a reviewer's latest approval or request counts, and main may require approvals. Agents may only comment.",
      input: ReviewBody.extend({ slug: Slug, number: IssueNumber }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/merge-requests/:number/reviews',
        config: { delegated: true },
      },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, number, ...body }) => reviewMergeRequest(res, deps, ctx, slug, number, body),
    }),
    defineTool({
      name: 'merge_merge_request',
      set: 'issues',
      title: 'Merge a merge request',
      description:
        'Merges an open merge request (a merge commit, or fast-forward when asked and possible). Merging into main needs a maintainer, every check main requires passed on the head commit, the approvals main requires and no request for changes standing (a refusal lists each blocker); agents cannot merge.',
      input: MergeBody.unwrap().extend({ slug: Slug, number: IssueNumber }),
      route: {
        method: 'POST',
        url: '/api/projects/:slug/merge-requests/:number/merge',
        config: { delegated: AGENTS_CANNOT_MERGE },
      },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, number, ...body }) => mergeMergeRequest(res, deps, ctx, slug, number, body),
    }),
  ];
}
