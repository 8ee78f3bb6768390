import { z } from 'zod';
import { ValidationError } from '../../platform/errors.ts';
import { CursorShape, decodeCursor, encodeCursor, PageQuery } from '../../platform/http/cursor.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { requireProjectRole } from '../projects/index.ts';
import { EMPTY_TREE, readDiff } from './diff.ts';
import { listBranches } from './list-branches.ts';
import { listCommits } from './list-commits.ts';
import { findMergeBase } from './merge-base.ts';
import { openRepository } from './open-repository.ts';
import { readCommit } from './read-commit.ts';
import { readBlob, readTree } from './read-tree.ts';
import { normalizeRepoPath } from './ref-name.ts';
import { DEFAULT_BRANCH } from './repository.ts';
import { resolveRevision } from './resolve-revision.ts';
import {
  BranchView,
  CommitParams,
  CommitsQuery,
  CommitView,
  CompareParams,
  DiffView,
  RefParams,
  SlugParam,
  TreeEntryView,
} from './schemas.ts';
import { listPushEvents } from './store.ts';

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
      async (request) => {
        const { repo } = await open(request);
        const q = request.query;
        const cursor = decodeCursor(q.cursor, CursorShape.commits);
        // The cursor pins the head commit, so pages stay consistent while the branch moves.
        const [pinned, skip] = cursor ?? [undefined, 0];
        const sha = pinned
          ? await resolveRevision(repo, pinned, 'cursor')
          : await resolveRevision(repo, q.ref ?? DEFAULT_BRANCH);
        const path = q.path ? normalizeRepoPath(q.path, 'query.path') : undefined;
        const { commits, more } = await listCommits(repo, { sha, path, skip, limit: q.limit });
        return {
          items: commits.map(commitView),
          nextCursor: more ? encodeCursor([sha, skip + q.limit]) : null,
        };
      },
    );

    app.get(
      '/api/projects/:slug/commits/:sha',
      { schema: { tags, params: CommitParams, response: { 200: CommitView.extend({ diff: DiffView }) } } },
      async (request) => {
        const { repo } = await open(request);
        const sha = await resolveRevision(repo, request.params.sha, 'sha');
        const commit = (await readCommit(repo, sha))!;
        return { ...commitView(commit), diff: await readDiff(repo, commit.parents[0] ?? EMPTY_TREE, sha) };
      },
    );

    const PushView = z.object({
      id: z.number(),
      actor: z.string(),
      ref: z.string(),
      before: z.string(),
      after: z.string(),
      headCommit: z
        .object({
          sha: z.string(),
          message: z.string(),
          authorName: z.string(),
          authorEmail: z.string(),
          timestamp: z.string(),
        })
        .nullable(),
      createdAt: z.string(),
    });
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
      async (request) => {
        const { project } = await requireProjectRole(
          db,
          contextOf(request).actor,
          request.params.slug,
          'viewer',
        );
        const before = decodeCursor(request.query.cursor, CursorShape.serial)?.[0];
        const rows = await listPushEvents(db, project.id, request.query.limit + 1, before);
        const items = rows.slice(0, request.query.limit);
        return {
          items: items.map((r) => ({
            id: r.id,
            actor: r.actor_name,
            ref: r.ref,
            before: r.old_sha,
            after: r.new_sha,
            headCommit: r.head_commit,
            createdAt: r.created_at.toISOString(),
          })),
          nextCursor: rows.length > request.query.limit ? encodeCursor([items.at(-1)!.id]) : null,
        };
      },
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
        const { commits } = await listCommits(repo, { sha: head, exclude: base, skip: 0, limit: 250 });
        return {
          base,
          head,
          mergeBase,
          commits: commits.map(commitView),
          diff: await readDiff(repo, mergeBase ?? EMPTY_TREE, head),
        };
      },
    );
  };
}

function commitView(c: Awaited<ReturnType<typeof readCommit>> & object) {
  return {
    sha: c.sha,
    parents: c.parents,
    title: c.title,
    message: c.message,
    authorName: c.authorName,
    authorEmail: c.authorEmail,
    authorDate: c.authorDate,
    committerName: c.committerName,
    committerEmail: c.committerEmail,
    committedAt: c.committedAt,
  };
}
