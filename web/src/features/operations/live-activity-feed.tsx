import { Link } from '../../app/router.tsx';
import { AGENT_SESSION_KIND } from '../agents/agent-session-address.ts';
import { ActivitySessionLink } from '../agents/agent-session-link.tsx';
import type { ActivityEntry } from './live-activity.ts';
import { formatClock } from './live-format.ts';

const DOT: Record<ActivityEntry['tone'], string> = {
  neutral: 'bg-slate-300',
  green: 'bg-emerald-500',
  red: 'bg-red-500',
  blue: 'bg-sky-500',
  amber: 'bg-amber-500',
};

/** The project's recent activity, newest first; each line links to its operation. */
export function ActivityFeed({
  entries,
  empty = 'Nothing has happened yet.',
}: {
  entries: ActivityEntry[];
  empty?: string;
}) {
  if (!entries.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ol aria-label="Activity" className="space-y-2">
      {entries.map((e) => (
        <li key={e.id} className="flex items-start gap-2.5 text-sm">
          <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${DOT[e.tone]}`} />
          <div className="min-w-0 flex-1">
            <p className="text-slate-700">
              <Link
                to={`/operations/${encodeURIComponent(e.operationId)}`}
                className="font-medium text-slate-900 hover:underline"
              >
                {e.operation}
              </Link>
              <span className="text-slate-400">: </span>
              <span className={e.tone === 'red' ? 'text-red-700' : ''}>{e.text}</span>
              {e.kind === AGENT_SESSION_KIND && <ActivitySessionLink operationId={e.operationId} />}
            </p>
          </div>
          <time dateTime={e.at} className="shrink-0 text-xs tabular-nums text-slate-400">
            {formatClock(e.at)}
          </time>
        </li>
      ))}
    </ol>
  );
}
