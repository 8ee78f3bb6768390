import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { openRepository } from '../open-repository.ts';
import { toCommitView } from './commit-view.ts';
import { EMPTY_TREE, readDiff } from './diff.ts';
import { readCommit } from './read-commit.ts';
import { resolveRevision } from './resolve-revision.ts';

/** One commit with its diff against its first parent (viewers). */
export async function getCommit(
  db: Queryable,
  home: string,
  actor: Actor,
  input: { slug: string; sha: string },
) {
  const { repo } = await openRepository(db, home, actor, input.slug, 'viewer');
  const sha = await resolveRevision(repo, input.sha, 'sha');
  const commit = (await readCommit(repo, sha))!;
  return { ...toCommitView(commit), diff: await readDiff(repo, commit.parents[0] ?? EMPTY_TREE, sha) };
}
