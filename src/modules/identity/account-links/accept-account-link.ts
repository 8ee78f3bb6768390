import type { Clock } from '../../../platform/clock.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { notifyAccessChange } from '../../../platform/events/index.ts';
import type { ActorCache } from '../actor-cache.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { scopesForRole } from '../authenticate.ts';
import { type LoginResult, openSession } from '../login.ts';
import { hashPassword } from '../password.ts';
import { deleteSessionsOfUser, updateUser } from '../store.ts';
import { useAccountLink } from './account-link-store.ts';
import { findLiveAccountLink } from './find-account-link.ts';

/**
 * The person uses their link: the password they chose is set, the link is used up, every other
 * session of theirs ends, and a session opens for them — one transaction, so a link is used at
 * most once however many tabs submit it.
 */
export async function acceptAccountLink(
  db: Db,
  clock: Clock,
  input: {
    token: string;
    password: string;
    ttlHours: number;
    ip?: string;
    userAgent?: string;
    requestId?: string;
  },
  cache?: ActorCache,
): Promise<LoginResult & { purpose: 'invite' | 'reset' }> {
  // Fail fast on a dead link before the deliberate cost of hashing the password.
  await findLiveAccountLink(db, clock, input.token);
  const passwordHash = await hashPassword(input.password);
  const result = await withTransaction(db, async (tx) => {
    const { link, user } = await findLiveAccountLink(tx, clock, input.token, { lock: true });
    const updated = (await updateUser(tx, user.id, { passwordHash }))!;
    await useAccountLink(tx, link, clock.now());
    const sessionsEnded = await deleteSessionsOfUser(tx, user.id);
    const ctx = {
      actor: {
        userId: user.id,
        username: user.username,
        role: user.role,
        via: 'session' as const,
        scopes: scopesForRole(user.role),
      },
      requestId: input.requestId,
      ip: input.ip,
    };
    await recordAudit(tx, ctx, {
      action: link.purpose === 'invite' ? 'user.accept_invite' : 'user.reset_password',
      target: { type: 'user', id: user.id },
      data: { linkId: link.id, sessionsEnded },
    });
    await notifyAccessChange(tx, { userId: user.id });
    const opened = await openSession(tx, clock, updated, input);
    return { ...opened, purpose: link.purpose };
  });
  cache?.drop({ userId: result.user.id });
  return result;
}
