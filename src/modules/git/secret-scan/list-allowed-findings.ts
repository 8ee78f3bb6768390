import type { Queryable } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { toAllowedFindingViews } from './allowed-finding-view.ts';
import { listAllowedFindingRows } from './allowed-store.ts';
import type { AllowedFindingView } from './schemas.ts';

/** The findings a project lets through, newest first (owners and instance admins). */
export async function listAllowedFindings(
  db: Queryable,
  actor: Actor,
  slug: string,
): Promise<{ items: AllowedFindingView[]; nextCursor: null }> {
  const { project } = await requireProjectRole(db, actor, slug, 'owner');
  const rows = await listAllowedFindingRows(db, project.id);
  return { items: await toAllowedFindingViews(db, rows), nextCursor: null };
}
