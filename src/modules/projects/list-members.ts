import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { findUserSummaries } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import type { MemberView } from './schemas.ts';
import { listMemberRows } from './store.ts';

/** A project's members (viewers may look), in the order they were added, then by user name. */
export async function listMembers(
  db: Queryable,
  actor: Actor,
  slug: string,
): Promise<{ items: MemberView[]; nextCursor: null }> {
  const { project } = await requireProjectRole(db, actor, slug, 'viewer');
  const rows = await listMemberRows(db, project.id);
  const users = await findUserSummaries(
    db,
    rows.map((r) => r.user_id),
  );
  const items = rows
    .flatMap((r) => {
      const user = users.get(r.user_id);
      return user ? [{ ...r, ...user }] : [];
    })
    .sort(
      (a, b) =>
        a.added_rank - b.added_rank || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0),
    )
    .map((r) => ({
      userId: r.user_id,
      username: r.username,
      kind: r.kind,
      role: r.role,
      addedAt: r.created_at.toISOString(),
    }));
  return { items, nextCursor: null };
}
