import type { AgentSession } from '../../api/agent-session-types.ts';
import { Link } from '../../app/router.tsx';
import { Card } from '../../widgets/card.tsx';
import { to } from '../projects/project-paths.ts';

/** The files the session changed on its branch, with lines added and removed. */
export function DiffStatPanel({ session }: { session: AgentSession }) {
  const stat = session.diffStat;
  const slug = session.projectSlug;
  return (
    <Card
      flush
      title="Changes"
      description={
        stat
          ? `${stat.files} ${stat.files === 1 ? 'file' : 'files'}, +${stat.insertions} −${stat.deletions}`
          : undefined
      }
    >
      {!stat ? (
        <p className="px-5 py-4 text-sm text-slate-500">Nothing committed yet.</p>
      ) : stat.paths.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">The session changed no files.</p>
      ) : (
        <ul aria-label="Changed files" className="max-h-96 divide-y divide-slate-100 overflow-auto">
          {stat.paths.map((p) => (
            <li key={p.path} className="flex items-center gap-3 px-5 py-2 text-sm">
              <Link
                to={to.file(slug, session.branch, p.path)}
                className="min-w-0 flex-1 truncate font-mono text-xs text-slate-800 hover:text-emerald-800 hover:underline"
                title={p.path}
              >
                {p.path}
              </Link>
              <span className="font-mono text-xs text-emerald-700 tabular-nums">+{p.insertions}</span>
              <span className="font-mono text-xs text-red-700 tabular-nums">−{p.deletions}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
