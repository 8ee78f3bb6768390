import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { AppNotification, InboxPage } from '../../api/notification-types.ts';
import { keys } from '../../api/query-keys.ts';
import { useEventSource } from '../operations/live-events.ts';

/** The newest few notifications for the bell, and the unread count, kept live over the inbox stream. */
export function useInbox(limit = 8) {
  const client = useQueryClient();
  // True once the stream's first `inbox` event came: from then on changes arrive live.
  const [live, setLive] = useState(false);
  const inbox = useQuery({
    queryKey: [...keys.notifications, 'latest', limit],
    queryFn: () => api.get<InboxPage>('/api/me/notifications', { limit }),
  });
  const stream = useEventSource(
    '/api/me/notifications/stream',
    {
      onMessage(data) {
        const { unreadCount } = data as { unreadCount: number; latest: AppNotification | null };
        setLive(true);
        const shown = client.getQueryData<InboxPage>([...keys.notifications, 'latest', limit]);
        if (shown?.unreadCount !== unreadCount)
          void client.invalidateQueries({ queryKey: keys.notifications });
      },
    },
    { event: 'inbox' },
  );
  return { inbox, stream, live: live && stream === 'open' };
}
