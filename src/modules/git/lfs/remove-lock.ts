import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { roleAtLeast } from '../../projects/index.ts';
import { requireLfsAccess } from './lfs-access.ts';
import { deleteLfsLock, findLfsLockForUpdate } from './lfs-store.ts';
import { toLfsLocks } from './lock-view.ts';
import { type LfsLock, LOCK_ID, type UnlockBody } from './schemas.ts';

/**
 * Unlocks (developers; audited). Someone else's lock only with `force`, and only by a maintainer
 * or above: a developer cannot take a colleague's lock away.
 */
export async function removeLock(
  db: Db,
  ctx: RequestContext,
  repo: string,
  id: string,
  body: UnlockBody,
): Promise<LfsLock> {
  const { project, role } = await requireLfsAccess(db, ctx.actor, repo, 'write');
  const missing = new NotFoundError(`No lock ${id} in this repository.`);
  if (!LOCK_ID.test(id)) throw missing;
  return withTransaction(db, async (tx) => {
    const row = await findLfsLockForUpdate(tx, project.id, id);
    if (!row) throw missing;
    const [lock] = await toLfsLocks(tx, [row]);
    const theirs = row.owner_id !== ctx.actor.userId;
    if (theirs && !body.force)
      throw new ForbiddenError(
        `${lock!.path} is locked by ${lock!.owner.name}; only they can unlock it, or a maintainer with --force.`,
      );
    if (theirs && !roleAtLeast(role, 'maintainer'))
      throw new ForbiddenError(
        `Only maintainers may force-unlock another person's lock; ${lock!.path} is locked by ${lock!.owner.name}.`,
      );
    await deleteLfsLock(tx, project.id, id);
    await recordAudit(tx, ctx, {
      action: 'lfs_lock.unlock',
      target: { type: 'lfs_lock', id },
      projectId: project.id,
      data: { path: row.path, owner: lock!.owner.name, force: theirs },
    });
    return lock!;
  });
}
