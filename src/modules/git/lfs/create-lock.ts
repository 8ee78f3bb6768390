import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ValidationError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { normalizeRepoPath } from '../ref-name.ts';
import { requireLfsAccess } from './lfs-access.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { findLfsLockByPath, insertLfsLock } from './lfs-store.ts';
import { toLfsLocks } from './lock-view.ts';
import type { CreateLockBody, LfsLock } from './schemas.ts';

/**
 * Locks a path for the caller (developers; audited). One lock per path in the project, on every
 * branch: a path someone holds is a 409 that carries their lock, as git-lfs shows it.
 */
export async function createLock(
  deps: Pick<LfsDeps, 'db' | 'clock'>,
  ctx: RequestContext,
  repo: string,
  body: CreateLockBody,
): Promise<LfsLock> {
  const { project } = await requireLfsAccess(deps.db, ctx.actor, repo, 'write');
  const path = normalizeRepoPath(body.path, 'body.path');
  if (!path) throw new ValidationError('body.path is empty: name a file to lock.');
  return withTransaction(deps.db, async (tx) => {
    const row = await insertLfsLock(tx, {
      projectId: project.id,
      path,
      ownerId: ctx.actor.userId,
      refName: body.ref?.name ?? null,
      lockedAt: deps.clock.now(),
    });
    if (!row) {
      const held = await findLfsLockByPath(tx, project.id, path);
      const [lock] = held ? await toLfsLocks(tx, [held]) : [];
      throw new ConflictError(
        lock ? `${path} is already locked by ${lock.owner.name}.` : `${path} is already locked.`,
        lock ? { lock } : {},
      );
    }
    await recordAudit(tx, ctx, {
      action: 'lfs_lock.create',
      target: { type: 'lfs_lock', id: row.id },
      projectId: project.id,
      data: { path, ref: row.ref_name },
    });
    const [lock] = await toLfsLocks(tx, [row]);
    return lock!;
  });
}
