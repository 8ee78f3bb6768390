import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { findMergeBase } from '../merge-base.ts';
import { openRepository } from '../open-repository.ts';
import { toCommitView } from './commit-view.ts';
import { EMPTY_TREE, readDiff } from './diff.ts';
import { listCommits } from './list-commits.ts';
import { resolveRevision } from './resolve-revision.ts';

/** `base...head`: the commits on head since the merge base (at most 250) and the diff from it (viewers). */
export async function compareRevisions(
  db: Queryable,
  home: string,
  actor: Actor,
  input: { slug: string; range: string },
) {
  const { repo } = await openRepository(db, home, actor, input.slug, 'viewer');
  const [baseRev, headRev, extra] = input.range.split('...');
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
}
