import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { listPushes } from '../list-pushes.ts';
import {
  BranchView,
  CommitParams,
  CommitsQuery,
  CommitView,
  CompareParams,
  DiffView,
  PushView,
  RefParams,
  SlugParam,
  TreeEntryView,
} from '../schemas.ts';
import { compareRevisions } from './compare-revisions.ts';
import { getBlob } from './get-blob.ts';
import { getCommit } from './get-commit.ts';
import { getTree } from './get-tree.ts';
import { listProjectBranches } from './list-project-branches.ts';
import { listProjectCommits } from './list-project-commits.ts';
import { SearchQuery, SearchResult, searchFiles } from './search-files.ts';

const tags = ['repository'];

/** Read-only repository browsing: branches, tree, raw blobs, search, log, one commit with its diff, compare. */
export function browseRoutes(res: Resources) {
  const { db } = res;
  const { home } = res.config;

  return async (app: HttpApp) => {
    app.get(
      '/api/projects/:slug/branches',
      {
        schema: {
          tags,
          params: SlugParam,
          response: { 200: z.object({ items: z.array(BranchView), nextCursor: z.null() }) },
        },
      },
      async (request) => listProjectBranches(db, home, contextOf(request).actor, request.params.slug),
    );

    const treeResponse = z.object({
      ref: z.string(),
      sha: z.string(),
      path: z.string(),
      entries: z.array(TreeEntryView),
    });
    for (const url of ['/api/projects/:slug/tree/:ref', '/api/projects/:slug/tree/:ref/*']) {
      app.get(
        url,
        { schema: { tags, params: RefParams, response: { 200: treeResponse } } },
        async (request) =>
          getTree(db, home, contextOf(request).actor, {
            slug: request.params.slug,
            ref: request.params.ref,
            path: request.params['*'] ?? '',
          }),
      );
    }

    app.get(
      '/api/projects/:slug/blob/:ref/*',
      { schema: { tags, params: RefParams } },
      async (request, reply) => {
        const { sha, blob } = await getBlob(db, home, contextOf(request).actor, {
          slug: request.params.slug,
          ref: request.params.ref,
          path: request.params['*'] ?? '',
        });
        return reply
          .headers({
            'content-type': blob.contentType,
            'content-length': String(blob.size),
            // Raw files are user content: never let them run scripts in Orchard's origin.
            'content-security-policy': "default-src 'none'; sandbox",
            'x-orchard-commit': sha,
          })
          .send(blob.content);
      },
    );

    app.get(
      '/api/projects/:slug/search',
      {
        schema: {
          tags,
          description:
            'Searches the files of a ref (default: main) with git grep: a fixed string unless `regex=true`, `ignoreCase=true` for any case, `path` a directory or glob (`src/**/*.ts`). At most `limit` matches and 10 s of searching; `truncated` says there was more.',
          params: SlugParam,
          querystring: SearchQuery,
          response: { 200: SearchResult },
        },
      },
      async (request) =>
        searchFiles(db, home, contextOf(request).actor, { slug: request.params.slug, ...request.query }),
    );

    const commitsPage = z.object({ items: z.array(CommitView), nextCursor: z.string().nullable() });
    app.get(
      '/api/projects/:slug/commits',
      { schema: { tags, params: SlugParam, querystring: CommitsQuery, response: { 200: commitsPage } } },
      async (request) =>
        listProjectCommits(db, home, contextOf(request).actor, request.params.slug, request.query),
    );

    app.get(
      '/api/projects/:slug/commits/:sha',
      { schema: { tags, params: CommitParams, response: { 200: CommitView.extend({ diff: DiffView }) } } },
      async (request) =>
        getCommit(db, home, contextOf(request).actor, { slug: request.params.slug, sha: request.params.sha }),
    );

    app.get(
      '/api/projects/:slug/pushes',
      {
        schema: {
          tags,
          params: SlugParam,
          querystring: PageQuery,
          response: { 200: z.object({ items: z.array(PushView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => listPushes(db, contextOf(request).actor, request.params.slug, request.query),
    );

    app.get(
      '/api/projects/:slug/compare/:range',
      {
        schema: {
          tags,
          params: CompareParams,
          response: {
            200: z.object({
              base: z.string(),
              head: z.string(),
              mergeBase: z.string().nullable(),
              commits: z.array(CommitView),
              diff: DiffView,
            }),
          },
        },
      },
      async (request) =>
        compareRevisions(db, home, contextOf(request).actor, {
          slug: request.params.slug,
          range: request.params.range,
        }),
    );
  };
}
