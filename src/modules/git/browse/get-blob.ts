import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { openRepository } from '../open-repository.ts';
import { normalizeRepoPath } from '../ref-name.ts';
import { readBlob } from './read-tree.ts';
import { resolveRevision } from './resolve-revision.ts';

/** One file's raw content at a ref, with the commit it was read from (viewers). */
export async function getBlob(
  db: Queryable,
  home: string,
  actor: Actor,
  input: { slug: string; ref: string; path: string },
) {
  const { repo } = await openRepository(db, home, actor, input.slug, 'viewer');
  const sha = await resolveRevision(repo, input.ref);
  const path = normalizeRepoPath(input.path);
  if (!path)
    throw new ValidationError('Name a file after the ref.', [{ field: 'path', message: 'is required' }]);
  return { sha, blob: await readBlob(repo, sha, path) };
}
