import { useState } from 'react';
import type { AppNotification, InboxPage } from '../api/notification-types.ts';
import { keys } from '../api/query-keys.ts';
import { usePaged } from '../api/use-paged.ts';
import { useMarkRead } from '../features/notifications/mark-read.ts';
import { NotificationItem } from '../features/notifications/notification-item.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { LoadMore } from '../widgets/load-more.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** Every notification of the signed-in person, newest first; unread only on demand. */
export function NotificationsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const pages = usePaged<AppNotification, InboxPage>(
    [...keys.notifications, 'all'],
    '/api/me/notifications',
    {
      unread: unreadOnly ? 'true' : undefined,
    },
  );
  const { one, all } = useMarkRead();
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  // Every page carries the count; the top bar's bell keeps the list fresh (it refreshes it when the
  // inbox stream says the inbox changed).
  const unread = pages.data?.pages[0]?.unreadCount ?? 0;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="What happened in your projects that concerns you. Choose what reaches you, and how, in Settings."
        actions={
          <Button
            variant="secondary"
            size="sm"
            disabled={unread === 0}
            busy={all.isPending}
            onClick={() => all.mutate()}
          >
            Mark all read
          </Button>
        }
      />
      <label className="mb-4 inline-flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={unreadOnly}
          onChange={(e) => setUnreadOnly(e.currentTarget.checked)}
          className="size-4 rounded border-slate-300 accent-emerald-700"
        />
        Unread only ({unread})
      </label>
      <Card flush>
        {pages.isPending ? (
          <Loading className="p-6" />
        ) : pages.isError ? (
          <div className="p-4">
            <ErrorAlert error={pages.error} />
          </div>
        ) : items.length === 0 ? (
          <p className="p-6 text-center text-sm text-slate-500">No notifications.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {items.map((n) => (
              <NotificationItem key={n.id} notification={n} onOpen={(x) => !x.read && one.mutate(x.id)} />
            ))}
          </ul>
        )}
        <LoadMore pages={pages} />
      </Card>
    </>
  );
}
