import type { EventBus } from '../../../platform/events/index.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { createSseHub, wantsEventStream } from '../../../platform/http/sse.ts';
import type { NotifyDeps } from '../deps.ts';
import {
  getSmtpSettings,
  resetSmtpSettings,
  SmtpBody,
  SmtpView,
  setSmtpSettings,
} from '../email/smtp-settings.ts';
import { followInbox, inboxSnapshot } from './inbox-stream.ts';
import { listNotifications } from './list-notifications.ts';
import { getPreferences, setPreferences } from './manage-preferences.ts';
import { markAllNotificationsRead, markNotificationRead } from './mark-read.ts';
import {
  InboxPage,
  InboxQuery,
  NotificationParams,
  PreferencesBody,
  PreferencesView,
  UnreadView,
} from './schemas.ts';

const tags = ['notifications'];
const AGENTS = 'Agent tokens cannot read or change notifications';

/** One's own notifications under /api/me/notifications; the admin's SMTP settings under /api/admin/smtp. */
export function notificationRoutes(res: NotifyDeps & { bus: EventBus }) {
  const { db, clock } = res;
  return async (app: HttpApp) => {
    const hub = createSseHub(app);

    app.get(
      '/api/me/notifications',
      {
        config: { delegated: AGENTS },
        schema: { tags, querystring: InboxQuery, response: { 200: InboxPage } },
      },
      async (request) => listNotifications(db, contextOf(request).actor, request.query),
    );
    app.get(
      '/api/me/notifications/stream',
      {
        config: { delegated: AGENTS },
        schema: {
          tags,
          description:
            'With `Accept: text/event-stream`, a stream of `inbox` events: `{ unreadCount, latest }` at once, then whenever the inbox changes; otherwise that JSON once.',
        },
      },
      async (request, reply) => {
        const actor = contextOf(request).actor;
        // Without `Accept: text/event-stream`, what the first event would carry, as JSON.
        if (!wantsEventStream(request)) return reply.send(await inboxSnapshot(db, actor.userId));
        const stream = hub.open(request, reply, { check: async () => undefined });
        followInbox(res, actor, stream);
        return reply;
      },
    );
    app.post(
      '/api/me/notifications/:id/read',
      {
        config: { delegated: AGENTS },
        schema: { tags, params: NotificationParams, response: { 200: UnreadView } },
      },
      async (request) => markNotificationRead(db, clock, contextOf(request).actor, request.params.id),
    );
    app.post(
      '/api/me/notifications/read-all',
      { config: { delegated: AGENTS }, schema: { tags, response: { 200: UnreadView } } },
      async (request) => markAllNotificationsRead(db, clock, contextOf(request).actor),
    );
    app.get(
      '/api/me/notifications/preferences',
      { config: { delegated: AGENTS }, schema: { tags, response: { 200: PreferencesView } } },
      async (request) => getPreferences(res, contextOf(request)),
    );
    app.put(
      '/api/me/notifications/preferences',
      {
        config: { delegated: AGENTS },
        schema: { tags, body: PreferencesBody, response: { 200: PreferencesView } },
      },
      async (request) => setPreferences(res, contextOf(request), request.body),
    );

    app.get(
      '/api/admin/smtp',
      { config: { adminOnly: true }, schema: { tags, response: { 200: SmtpView } } },
      async () => getSmtpSettings(res),
    );
    app.put(
      '/api/admin/smtp',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot change email settings' },
        schema: { tags, body: SmtpBody, response: { 200: SmtpView } },
      },
      async (request) => setSmtpSettings(res, contextOf(request), request.body),
    );
    app.delete(
      '/api/admin/smtp',
      {
        config: { adminOnly: true, delegated: 'Agent tokens cannot change email settings' },
        schema: { tags, response: { 200: SmtpView } },
      },
      async (request) => resetSmtpSettings(res, contextOf(request)),
    );
  };
}
