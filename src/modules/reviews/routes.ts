import { z } from 'zod';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { mergeRequestReviewRoutes } from './approvals/review-routes.ts';
import { addComment, readComments } from './comments.ts';
import { createMergeRequest } from './create-merge-request.ts';
import type { ReviewDeps } from './events.ts';
import { getIssue } from './get-issue.ts';
import { getMergeRequest } from './get-merge-request.ts';
import { createIssue, updateIssue } from './issues.ts';
import { listIssues } from './list-issues.ts';
import { listMergeRequests } from './list-merge-requests.ts';
import { AGENTS_CANNOT_MERGE, mergeMergeRequest } from './merge-merge-request.ts';
import { protectionRoutes } from './protection/protection-routes.ts';
import {
  CommentBody,
  CommentView,
  CreateIssueBody,
  CreateMergeRequestBody,
  IssueView,
  ListQuery,
  MergeBody,
  MergeRequestView,
  NumberParams,
  SlugParam,
  UpdateIssueBody,
  UpdateMergeRequestBody,
} from './schemas.ts';
import { updateMergeRequest } from './update-merge-request.ts';

const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Issues, merge requests, their comments and reviews under /api/projects/:slug; branch protection. */
export function reviewRoutes(res: Resources, deps: ReviewDeps) {
  const { db } = res;
  return async (app: HttpApp) => {
    const tags = ['issues'];
    app.get(
      '/api/projects/:slug/issues',
      { schema: { tags, params: SlugParam, querystring: ListQuery, response: { 200: Page(IssueView) } } },
      async (request) => listIssues(db, contextOf(request).actor, request.params.slug, request.query),
    );
    app.post(
      '/api/projects/:slug/issues',
      {
        config: { delegated: true },
        schema: { tags, params: SlugParam, body: CreateIssueBody, response: { 201: IssueView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createIssue(res, deps, contextOf(request), request.params.slug, request.body)),
    );
    app.get(
      '/api/projects/:slug/issues/:number',
      { schema: { tags, params: NumberParams, response: { 200: IssueView } } },
      async (request) => getIssue(db, contextOf(request).actor, request.params.slug, request.params.number),
    );
    app.patch(
      '/api/projects/:slug/issues/:number',
      {
        config: { delegated: true },
        schema: { tags, params: NumberParams, body: UpdateIssueBody, response: { 200: IssueView } },
      },
      async (request) =>
        updateIssue(res, deps, contextOf(request), request.params.slug, request.params.number, request.body),
    );

    const mrTags = ['merge requests'];
    app.get(
      '/api/projects/:slug/merge-requests',
      {
        schema: {
          tags: mrTags,
          params: SlugParam,
          querystring: ListQuery,
          response: { 200: Page(MergeRequestView) },
        },
      },
      async (request) => listMergeRequests(db, contextOf(request).actor, request.params.slug, request.query),
    );
    app.post(
      '/api/projects/:slug/merge-requests',
      {
        config: { delegated: true },
        schema: {
          tags: mrTags,
          params: SlugParam,
          body: CreateMergeRequestBody,
          response: { 201: MergeRequestView },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createMergeRequest(res, deps, contextOf(request), request.params.slug, request.body)),
    );
    app.get(
      '/api/projects/:slug/merge-requests/:number',
      { schema: { tags: mrTags, params: NumberParams, response: { 200: MergeRequestView } } },
      async (request) => getMergeRequest(res, contextOf(request), request.params.slug, request.params.number),
    );
    app.patch(
      '/api/projects/:slug/merge-requests/:number',
      {
        config: { delegated: true },
        schema: {
          tags: mrTags,
          params: NumberParams,
          body: UpdateMergeRequestBody,
          response: { 200: MergeRequestView },
        },
      },
      async (request) =>
        updateMergeRequest(
          res,
          deps,
          contextOf(request),
          request.params.slug,
          request.params.number,
          request.body,
        ),
    );
    app.post(
      '/api/projects/:slug/merge-requests/:number/merge',
      {
        config: { delegated: AGENTS_CANNOT_MERGE },
        schema: { tags: mrTags, params: NumberParams, body: MergeBody, response: { 200: MergeRequestView } },
      },
      async (request) =>
        mergeMergeRequest(
          res,
          deps,
          contextOf(request),
          request.params.slug,
          request.params.number,
          request.body,
        ),
    );

    for (const [segment, target] of [
      ['issues', 'issue'],
      ['merge-requests', 'merge_request'],
    ] as const) {
      app.get(
        `/api/projects/:slug/${segment}/:number/comments`,
        { schema: { tags: [segment], params: NumberParams, response: { 200: Page(CommentView) } } },
        async (request) =>
          readComments(res, contextOf(request), request.params.slug, target, request.params.number),
      );
      app.post(
        `/api/projects/:slug/${segment}/:number/comments`,
        {
          config: { delegated: true },
          schema: {
            tags: [segment],
            params: NumberParams,
            body: CommentBody,
            response: { 201: CommentView },
          },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(
              await addComment(
                res,
                deps,
                contextOf(request),
                request.params.slug,
                target,
                request.params.number,
                request.body.body,
              ),
            ),
      );
    }

    await mergeRequestReviewRoutes(res, deps)(app);
    await protectionRoutes(res)(app);
  };
}
