import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { listReleaseRows } from './releases/release-store.ts';
import type { ReleaseView } from './schemas.ts';
import { toReleaseView } from './views.ts';

/** A project's releases, as many as are kept (viewers). */
export async function listReleases(
  db: Queryable,
  actor: Actor,
  slug: string,
): Promise<{ items: ReleaseView[]; nextCursor: null }> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  return { items: (await listReleaseRows(db, project.id)).map(toReleaseView), nextCursor: null };
}
