import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { openRepository } from '../open-repository.ts';
import { listBranches } from './list-branches.ts';

/** A project's branches (viewers). */
export async function listProjectBranches(db: Queryable, home: string, actor: Actor, slug: string) {
  const { repo } = await openRepository(db, home, actor, slug, 'viewer');
  return { items: await listBranches(repo), nextCursor: null };
}
