import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { openRepository } from '../open-repository.ts';
import { normalizeRepoPath } from '../ref-name.ts';
import { readTree } from './read-tree.ts';
import { resolveRevision } from './resolve-revision.ts';

/** The entries of a directory at a ref (the root when `path` is empty; viewers). */
export async function getTree(
  db: Queryable,
  home: string,
  actor: Actor,
  input: { slug: string; ref: string; path: string },
) {
  const { repo } = await openRepository(db, home, actor, input.slug, 'viewer');
  const sha = await resolveRevision(repo, input.ref);
  const path = normalizeRepoPath(input.path);
  return { ref: input.ref, sha, path, entries: await readTree(repo, sha, path) };
}
