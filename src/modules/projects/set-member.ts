import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { notifyAccessChange } from '../../platform/events/index.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { findUserByName, recordAudit } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import { AGENTS_CANNOT_ADMINISTER } from './agent-refusal.ts';
import type { ProjectRole } from './schemas.ts';
import { countOwners, upsertMember } from './store.ts';

/** Adds a member or changes their role (owners only; the last owner cannot be demoted). */
export async function setMember(
  db: Db,
  ctx: RequestContext,
  slug: string,
  username: string,
  role: ProjectRole,
) {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_ADMINISTER);
  const { project } = await requireProjectRole(db, ctx.actor, slug, 'owner');
  const user = await findUserByName(db, username.toLowerCase());
  if (!user) throw new NotFoundError(`No user "${username}".`);
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [project.id]);
    await upsertMember(tx, project.id, user.id, role);
    if ((await countOwners(tx, project.id)) === 0) {
      throw new ConflictError('A project needs at least one owner; make someone else owner first.');
    }
    await recordAudit(tx, ctx, {
      action: 'project.member.set',
      target: { type: 'user', id: user.id },
      projectId: project.id,
      data: { username: user.username, role },
    });
    // A lower role may no longer reach what the member's open streams show.
    await notifyAccessChange(tx, { projectId: project.id, userId: user.id });
    return { userId: user.id, username: user.username, role };
  });
}
