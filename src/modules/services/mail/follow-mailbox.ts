import type { Queryable } from '../../../platform/db/pool.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import type { SseStream } from '../../../platform/http/sse.ts';
import type { Logger } from '../../../platform/log.ts';
import { toMailSummary } from './mail-views.ts';
import { MAILBOX_CHANNEL } from './mailbox-channel.ts';
import { findMailSummary } from './mailbox-store.ts';

/**
 * Follows a project's mailbox on an event stream: `ready` once it listens, then a `mail` event with
 * each new message's summary, as any process's relay keeps it (one environment's only, with
 * `environmentId`).
 */
export function followMailbox(
  deps: { db: Queryable; bus: EventBus; logger: Logger },
  where: { projectId: string; environmentId?: string },
  stream: SseStream,
) {
  let sending: Promise<void> = Promise.resolve();
  const unsubscribe = deps.bus.subscribe(MAILBOX_CHANNEL, (payload) => {
    const [projectId, id] = payload.split(':');
    if (projectId !== where.projectId || !id) return;
    sending = sending.then(async () => {
      if (stream.signal.aborted) return;
      try {
        const row = await findMailSummary(deps.db, id);
        if (!row || (where.environmentId && row.environment_id !== where.environmentId)) return;
        stream.send({ event: 'mail', id, data: JSON.stringify(toMailSummary(row)) });
      } catch (error) {
        deps.logger.warn({ err: error }, 'mailbox stream read failed');
      }
    });
  });
  stream.signal.addEventListener('abort', () => unsubscribe(), { once: true });
  // `ready` once LISTEN holds: every message kept after it arrives as an event.
  return unsubscribe.ready.then(() => {
    stream.send({ event: 'ready', data: '{}' });
  });
}
