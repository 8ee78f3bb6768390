import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { openRepository } from '../open-repository.ts';
import { normalizeRepoPath } from '../ref-name.ts';
import { DEFAULT_BRANCH } from '../repository.ts';
import type { CommitsQuery, CommitView } from '../schemas.ts';
import { toCommitView } from './commit-view.ts';
import { listCommits } from './list-commits.ts';
import { resolveRevision } from './resolve-revision.ts';

/** A project's history from `ref` (default branch), newest first, optionally of one path (viewers). */
export async function listProjectCommits(
  db: Queryable,
  home: string,
  actor: Actor,
  slug: string,
  query: CommitsQuery,
): Promise<Page<CommitView>> {
  const { repo } = await openRepository(db, home, actor, slug, 'viewer');
  const cursor = decodeCursor(query.cursor, CursorShape.commits);
  // The cursor pins the head commit, so pages stay consistent while the branch moves.
  const [pinned, skip] = cursor ?? [undefined, 0];
  const sha = pinned
    ? await resolveRevision(repo, pinned, 'cursor')
    : await resolveRevision(repo, query.ref ?? DEFAULT_BRANCH);
  const path = query.path ? normalizeRepoPath(query.path, 'query.path') : undefined;
  return fetchPage(
    query.limit,
    (limit) => listCommits(repo, { sha, path, skip, limit }),
    () => [sha, skip + query.limit],
    toCommitView,
  );
}
