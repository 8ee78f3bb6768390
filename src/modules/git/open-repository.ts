import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { type ProjectAccess, type ProjectRole, requireProjectRole } from '../projects/index.ts';
import { ensureRepository } from './repository.ts';

export interface RepositoryAccess extends ProjectAccess {
  /** The bare repository's directory. */
  repo: string;
}

/** Checks the actor's role in the project and returns its bare repository (created on first use). */
export async function openRepository(
  db: Queryable,
  home: string,
  actor: Actor,
  slug: string,
  needed: ProjectRole,
): Promise<RepositoryAccess> {
  const access = await requireProjectRole(db, actor, slug, needed);
  return { ...access, repo: await ensureRepository(home, access.project.slug) };
}
