import type { AppNotification } from '../../api/notification-types.ts';
import { Link } from '../../app/router.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';

/** One notification: its title (a link when it has one), a line of its body and when it came. */
export function NotificationItem({
  notification: n,
  onOpen,
}: {
  notification: AppNotification;
  onOpen: (n: AppNotification) => void;
}) {
  const title = (
    <span className={`block text-sm ${n.read ? 'text-slate-700' : 'font-semibold text-slate-900'}`}>
      {n.title}
    </span>
  );
  return (
    <li className="flex gap-3 px-4 py-3" data-testid="notification">
      <span
        aria-hidden="true"
        className={`mt-1.5 size-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-emerald-600'}`}
      />
      <div className="min-w-0 flex-1">
        {n.link ? (
          <Link
            to={n.link}
            onClick={() => onOpen(n)}
            className="rounded-sm hover:underline focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            {title}
          </Link>
        ) : (
          title
        )}
        {n.body && <span className="mt-0.5 line-clamp-2 block text-xs text-slate-500">{n.body}</span>}
        <span className="mt-0.5 block text-xs text-slate-400">
          <TimeAgo iso={n.createdAt} />
          {!n.read && <span className="sr-only"> (unread)</span>}
        </span>
      </div>
    </li>
  );
}
