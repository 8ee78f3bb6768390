import type { Queryable } from '../../../platform/db/pool.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import type { SseStream } from '../../../platform/http/sse.ts';
import type { NotifyDeps } from '../deps.ts';
import { INBOX_CHANNEL } from './channel.ts';
import { countUnread, listInbox } from './notification-store.ts';
import { toNotificationView } from './views.ts';

/** The unread count and the newest notification: what each `inbox` event carries. */
export async function inboxSnapshot(db: Queryable, userId: string) {
  const unreadCount = await countUnread(db, userId);
  const [latest] = await listInbox(db, userId, { limit: 1, unreadOnly: false });
  return { unreadCount, latest: latest ? toNotificationView(latest) : null };
}

/**
 * Follows the actor's inbox on an event stream: `inbox` events carry the unread count and the
 * newest notification, sent at once and again whenever the inbox changes (in any process).
 */
export function followInbox(res: NotifyDeps & { bus: EventBus }, actor: Actor, stream: SseStream) {
  let sending: Promise<void> = Promise.resolve();
  let seq = 0;
  const push = () => {
    sending = sending.then(async () => {
      if (stream.signal.aborted) return;
      try {
        const snapshot = await inboxSnapshot(res.db, actor.userId);
        stream.send({ event: 'inbox', id: ++seq, data: JSON.stringify(snapshot) });
      } catch (error) {
        res.logger.warn({ err: error }, 'inbox stream read failed');
      }
    });
  };
  const unsubscribe = res.bus.subscribe(INBOX_CHANNEL, (userId) => {
    if (userId === actor.userId) push();
  });
  // Read after LISTEN holds, so nothing committed in between is missed.
  unsubscribe.ready.then(push, push);
  stream.signal.addEventListener('abort', () => unsubscribe(), { once: true });
}
