import { z } from 'zod';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { ReviewDeps } from '../events.ts';
import { NumberParams, ReviewBody, ReviewView } from '../schemas.ts';
import { readReviews } from './list-reviews.ts';
import { AGENTS_CANNOT_APPROVE, reviewMergeRequest } from './review-merge-request.ts';
import { withdrawReview } from './withdraw-review.ts';

/** `…/merge-requests/:number/reviews`: list (viewers), review (developers), withdraw your verdict. */
export function mergeRequestReviewRoutes(res: Resources, deps: ReviewDeps) {
  return async (app: HttpApp) => {
    const tags = ['merge requests'];
    const url = '/api/projects/:slug/merge-requests/:number/reviews';
    app.get(
      url,
      {
        schema: {
          tags,
          params: NumberParams,
          response: { 200: z.object({ items: z.array(ReviewView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) =>
        readReviews(res.db, contextOf(request).actor, request.params.slug, request.params.number),
    );
    app.post(
      url,
      {
        // Agents may leave a comment review; the use case refuses them approving or requesting changes.
        config: { delegated: true },
        schema: { tags, params: NumberParams, body: ReviewBody, response: { 201: ReviewView } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await reviewMergeRequest(
              res,
              deps,
              contextOf(request),
              request.params.slug,
              request.params.number,
              request.body,
            ),
          ),
    );
    app.delete(
      `${url}/mine`,
      {
        config: { delegated: AGENTS_CANNOT_APPROVE },
        schema: { tags, params: NumberParams },
      },
      async (request, reply) => {
        await withdrawReview(res, deps, contextOf(request), request.params.slug, request.params.number);
        return reply.status(204).send();
      },
    );
  };
}
