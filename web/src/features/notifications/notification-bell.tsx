import { useEffect, useRef, useState } from 'react';
import type { AppNotification } from '../../api/notification-types.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { useMarkRead } from './mark-read.ts';
import { NotificationItem } from './notification-item.tsx';
import { useInbox } from './use-inbox.ts';

const PANEL_ID = 'notifications-panel';

/** The top bar's bell: the unread count, live; a click opens the newest notifications. */
export function NotificationBell() {
  const { inbox, live } = useInbox();
  const { one, all } = useMarkRead();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();
  const unread = inbox.data?.unreadCount ?? 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a navigation closes the panel
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const openOne = (n: AppNotification) => {
    if (!n.read) one.mutate(n.id);
    setOpen(false);
  };

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={PANEL_ID}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        data-testid="notification-bell"
        data-live={live}
        onClick={() => setOpen((v) => !v)}
        className="relative inline-flex size-9 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <BellIcon />
        {unread > 0 && (
          <span
            data-testid="notification-count"
            className="absolute -top-0.5 -right-0.5 grid min-w-5 place-items-center rounded-full bg-red-600 px-1 text-[11px] font-semibold leading-5 text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          id={PANEL_ID}
          className="absolute right-0 z-50 mt-2 w-[min(24rem,calc(100vw-2rem))] overflow-hidden rounded-lg border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
            <span className="text-sm font-semibold text-slate-900">Notifications</span>
            {unread > 0 && (
              <button
                type="button"
                onClick={() => all.mutate()}
                className="rounded-sm text-xs font-medium text-emerald-800 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-600"
              >
                Mark all read
              </button>
            )}
          </div>
          {inbox.isPending ? (
            <Loading className="p-4" />
          ) : inbox.isError ? (
            <div className="p-4">
              <ErrorAlert error={inbox.error} />
            </div>
          ) : inbox.data.items.length === 0 ? (
            <p className="px-4 py-6 text-center text-sm text-slate-500">Nothing yet.</p>
          ) : (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
              {inbox.data.items.map((n) => (
                <NotificationItem key={n.id} notification={n} onOpen={openOne} />
              ))}
            </ul>
          )}
          <div className="flex justify-between border-t border-slate-200 px-4 py-2 text-xs">
            <Link to="/notifications" className="font-medium text-emerald-800 hover:underline">
              See all
            </Link>
            <Link to="/settings#notifications" className="text-slate-500 hover:underline">
              Settings
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}

function BellIcon() {
  return (
    <svg
      viewBox="0 0 20 20"
      className="size-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      aria-hidden="true"
    >
      <path d="M10 2.5a5 5 0 0 0-5 5v3l-1.5 3h13L15 10.5v-3a5 5 0 0 0-5-5Z" strokeLinejoin="round" />
      <path d="M8 16a2 2 0 0 0 4 0" strokeLinecap="round" />
    </svg>
  );
}
