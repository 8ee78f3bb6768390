import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { notify as pgNotify } from '../../../platform/events/index.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { INBOX_CHANNEL } from './channel.ts';
import { countUnread, markAllRead, markRead } from './notification-store.ts';

/** Marks one of the actor's own notifications read (someone else's is "not found"). */
export async function markNotificationRead(db: Db, clock: Clock, actor: Actor, id: string) {
  return withTransaction(db, async (tx) => {
    if (!(await markRead(tx, actor.userId, id, clock.now())))
      throw new NotFoundError(`You have no notification ${id}.`);
    await pgNotify(tx, INBOX_CHANNEL, actor.userId);
    return { unreadCount: await countUnread(tx, actor.userId) };
  });
}

/** Marks every notification of the actor read. */
export async function markAllNotificationsRead(db: Db, clock: Clock, actor: Actor) {
  return withTransaction(db, async (tx) => {
    await markAllRead(tx, actor.userId, clock.now());
    await pgNotify(tx, INBOX_CHANNEL, actor.userId);
    return { unreadCount: 0 };
  });
}
