import { z } from 'zod';
import { ValidationError } from '../../../platform/errors.ts';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { listPushes } from '../list-pushes.ts';
import { findMergeBase } from '../merge-base.ts';
import { openRepository } from '../open-repository.ts';
import { normalizeRepoPath } from '../ref-name.ts';
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
import { toCommitView } from './commit-view.ts';
import { EMPTY_TREE, readDiff } from './diff.ts';
import { listBranches } from './list-branches.ts';
import { listCommits } from './list-commits.ts';
import { listProjectCommits } from './list-project-commits.ts';
import { readCommit } from './read-commit.ts';
import { readBlob, readTree } from './read-tree.ts';
import { resolveRevision } from './resolve-revision.ts';

const tags = ['repository'];

/** Read-only repository browsing: branches, tree, raw blobs, log, one commit with its diff, compare. */
export function browseRoutes(res: Resources) {
  const { db } = res;
  const open = (request: { params: { slug: string } } & Parameters<typeof contextOf>[0]) =>
    openRepository(db, res.config.home, contextOf(request).actor, request.params.slug, 'viewer');

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
      async (request) => ({ items: await listBranches((await open(request)).repo), nextCursor: null }),
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
        async (request) => {
          const { repo } = await open(request);
          const sha = await resolveRevision(repo, request.params.ref);
          const path = normalizeRepoPath(request.params['*'] ?? '');
          return { ref: request.params.ref, sha, path, entries: await readTree(repo, sha, path) };
        },
      );
    }

    app.get(
      '/api/projects/:slug/blob/:ref/*',
      { schema: { tags, params: RefParams } },
      async (request, reply) => {
        const { repo } = await open(request);
        const sha = await resolveRevision(repo, request.params.ref);
        const path = normalizeRepoPath(request.params['*'] ?? '');
        if (!path)
          throw new ValidationError('Name a file after the ref.', [
            { field: 'path', message: 'is required' },
          ]);
        const blob = await readBlob(repo, sha, path);
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

    const commitsPage = z.object({ items: z.array(CommitView), nextCursor: z.string().nullable() });
    app.get(
      '/api/projects/:slug/commits',
      { schema: { tags, params: SlugParam, querystring: CommitsQuery, response: { 200: commitsPage } } },
      async (request) =>
        listProjectCommits(db, res.config.home, contextOf(request).actor, request.params.slug, request.query),
    );

    app.get(
      '/api/projects/:slug/commits/:sha',
      { schema: { tags, params: CommitParams, response: { 200: CommitView.extend({ diff: DiffView }) } } },
      async (request) => {
        const { repo } = await open(request);
        const sha = await resolveRevision(repo, request.params.sha, 'sha');
        const commit = (await readCommit(repo, sha))!;
        return { ...toCommitView(commit), diff: await readDiff(repo, commit.parents[0] ?? EMPTY_TREE, sha) };
      },
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
      async (request) => {
        const { repo } = await open(request);
        const [baseRev, headRev, extra] = request.params.range.split('...');
        if (!baseRev || !headRev || extra !== undefined) {
          throw new ValidationError('Compare takes base...head, e.g. main...feature.', [
            { field: 'range', message: 'must be base...head' },
          ]);
        }
        const base = await resolveRevision(repo, baseRev, 'base');
        const head = await resolveRevision(repo, headRev, 'head');
        const { mergeBase } = await findMergeBase(repo, base, head);
        const commits = await listCommits(repo, { sha: head, exclude: base, skip: 0, limit: 250 });
        return {
          base,
          head,
          mergeBase,
          commits: commits.map(toCommitView),
          diff: await readDiff(repo, mergeBase ?? EMPTY_TREE, head),
        };
      },
    );
  };
}
